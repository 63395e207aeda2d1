/**
 * Activity signatures, imported by workflows with `import type` only (no runtime import).
 * Implementations: activities/*.ts, assembled by createActivities() in activities/index.ts.
 */
export interface DueInput {
  /** Workflow time (ISO) the task opened; activities never read the wall clock for this. */
  from: string;
  workingDays: number;
  /** Working days before the due date at which to remind (e.g. [1]). */
  remindBefore: number[];
}
export interface DueResult {
  dueDate: string;
  dueAt: string;
  reminders: string[];
  /** 'fallback' means the year has no holiday data: weekends only (admins are told). */
  coverage: 'official' | 'admin' | 'fallback';
}

export interface TimelineEventRow {
  seq: number;
  type: string;
  step?: string | null;
  taskId?: string | null;
  actor?: { id: string; name: string; role: string } | null;
  decision?: string | null;
  reason?: string | null;
  data?: Record<string, unknown>;
  at: string;
}

export interface TaskRow {
  id: string;
  step: string;
  kind: 'approval' | 'record' | 'followup';
  status: 'open' | 'completed' | 'cancelled';
  assigneeRole: string;
  orgUnitCode: string;
  orgPath: string;
  partnerId: string | null;
  assigneeUserId: string | null;
  dueAt: string;
  dueDate: string;
  overdue: boolean;
  remindedAt: string | null;
  escalatedAt: string | null;
  decision: string | null;
  decidedBy: string | null;
  note: string | null;
  createdAt: string;
  completedAt: string | null;
}

export interface CaseRow {
  id: string;
  caseNo: string;
  programme: string;
  personId: string;
  orgUnitCode: string;
  orgPath: string;
  status: 'open' | 'closed';
  step: string;
  waitingOn: string;
  outcome: string | null;
  workflowId: string;
  ruleVersion: string;
  partnerId: string | null;
  campaignId: string | null;
  createdBy: string | null;
  data: Record<string, unknown>;
  openedAt: string;
  closedAt: string | null;
}

export interface ProjectionBatch {
  seq: number;
  caseRow: CaseRow;
  events: TimelineEventRow[];
  tasks: TaskRow[];
}

export type NotificationType =
  | 'task_assigned'
  | 'task_due_soon'
  | 'task_overdue'
  | 'task_escalated'
  | 'followup_due'
  | 'case_decided';

export interface NotificationTarget {
  userId?: string | null;
  role?: string;
  orgUnitCode?: string;
  partnerId?: string | null;
  /** Managers whose scope contains this path are added. */
  managersOver?: string;
}

export interface NotificationRequest {
  /** Business idempotency key (reminder id, escalation id…); one message per key and recipient. */
  key: string;
  type: NotificationType;
  caseId: string;
  taskId?: string;
  targets: NotificationTarget[];
  vars: Record<string, string | number>;
}

export interface HospitalReservation {
  caseId: string;
  partnerId: string;
  service: string;
}
export type HospitalReservationResult = { ok: true; partnerName: string } | { ok: false; reason: string };

export interface CaseActivities {
  computeDue(input: DueInput): Promise<DueResult>;
  projectCase(batch: ProjectionBatch): Promise<void>;
  enqueueNotifications(reqs: NotificationRequest[]): Promise<number>;
  reserveHospital(input: HospitalReservation): Promise<HospitalReservationResult>;
}
