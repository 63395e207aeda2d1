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
  /** When the time limit started, if not at createdAt (the first task of a case with a receipt date). */
  clockStartAt?: string | null;
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
  /**
   * Row-only flushes at this seq (patch 'project-row-changes'): a change of the case row with no
   * event (e.g. intake done → training) is written with the same seq and a higher rowVersion.
   * Absent = 0 (every batch before the patch, and every batch whose seq rose).
   */
  rowVersion?: number;
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

// ---- training → placement (activities/training.ts) ---------------------------------------------

export interface CoursePlaceRequest {
  caseId: string;
  courseId: string;
  personId: string;
  orgPath: string;
  workflowId: string;
  /** Workflow time (ISO): course dates are compared with this, never with the wall clock. */
  at: string;
}
export type CoursePlaceResult = { status: 'enrolled' } | { status: 'waiting'; position: number } | { status: 'refused'; reason: string };
export interface CoursePlaceRelease {
  caseId: string;
  courseId: string;
  status: 'dropped' | 'incomplete';
  reason: string;
  at: string;
  /** The next waitlisted trainee moves in only until the course start + this many days. */
  lateEntryDays: number;
}
export interface TrainingRecordInput {
  caseId: string;
  at: string;
  status?: 'completed';
  hoursAttended?: number;
  passed?: boolean;
  certificateNo?: string | null;
  certificateLevel?: string | null;
}
export interface JobOfferCheck {
  caseId: string;
  orgPath: string;
  employerId: string;
  positionId?: string | null;
  at: string;
}
export type JobOfferCheckResult =
  | { ok: true; employerName: string; position: { title: string; monthlyPay: number | null; contractMonths: number | null; socialInsurance: boolean } | null }
  | { ok: false; reason: string };
export interface PlacementRow {
  /** `${caseId}-p${round}`: one row per placement, upserted as it changes. */
  id: string;
  caseId: string;
  personId: string;
  courseId: string | null;
  orgPath: string;
  channel: 'quota_employer' | 'public_welfare' | 'self_employment';
  employerId: string | null;
  positionId: string | null;
  detail: string | null;
  startDate: string;
  endDate: string | null;
  contractMonths: number | null;
  monthlyPay: number | null;
  socialInsurance: boolean | null;
  businessLicence: string | null;
  supportAmount: number | null;
  disabilityGrade: number | null;
  countsTowardQuota: boolean;
  quotaWeight: number;
  quotaReasons: string[];
  status: 'active' | 'ended' | 'stable';
  endReason: string | null;
}
export interface TrainingActivities {
  reserveCoursePlace(input: CoursePlaceRequest): Promise<CoursePlaceResult>;
  /** At the waitlist deadline: leaves the list, unless a place was given meanwhile. */
  leaveWaitlist(input: { caseId: string; courseId: string; at: string }): Promise<{ admitted: boolean }>;
  /** Frees the trainee's place and moves the next waitlisted trainee in (signalling its workflow). */
  releaseCoursePlace(input: CoursePlaceRelease): Promise<{ promoted: number }>;
  recordTraining(input: TrainingRecordInput): Promise<void>;
  checkJobOffer(input: JobOfferCheck): Promise<JobOfferCheckResult>;
  recordPlacement(row: PlacementRow): Promise<void>;
}

// ---- child rescue rehabilitation (activities/child-rehab.ts) ----------------------------------

export interface RehabPlaceInput {
  caseId: string;
  personId: string;
  orgPath: string;
  partnerId: string;
  /** Partner service for the category, e.g. rehab_hearing. */
  service: string;
  category: string;
  priority: number;
  year: number;
  /** Unique key of the agreement this placement creates (idempotency). */
  agreementKey: string;
}
export type RehabPlaceResult =
  | { ok: true; partnerName: string; partnerOrgPath: string }
  | { ok: false; waitlisted: true; position: number; partnerName: string; partnerOrgPath: string }
  | { ok: false; waitlisted: false; reason: string };
export interface RehabReleaseInput {
  caseId: string;
  partnerId: string;
  agreementKey: string | null;
  reason: string;
}
export interface RehabNextWaitingInput {
  partnerId: string;
  /** Cases already tried (their workflow could not take the signal). */
  skip: string[];
}
export interface RehabPeriodInput {
  agreementKey: string;
  months: number;
  effective: boolean | null;
}
export interface RehabRenewInput {
  fromKey: string;
  toKey: string;
  year: number;
}
export interface PaymentInput {
  /** Unique per payment (idempotency): `${caseId}:${year}:p${n}`. */
  key: string;
  caseId: string;
  programme: string;
  personId: string;
  orgPath: string;
  partnerId: string | null;
  payeeKind: 'institution' | 'family';
  item: string;
  amount: number;
  year: number;
  approvedBy: string | null;
  reference: string | null;
}

export interface ChildRehabActivities {
  rehabPlace(input: RehabPlaceInput): Promise<RehabPlaceResult>;
  rehabRelease(input: RehabReleaseInput): Promise<void>;
  rehabNextWaiting(input: RehabNextWaitingInput): Promise<{ caseId: string; workflowId: string } | null>;
  rehabLeaveWaitlist(input: { caseId: string; partnerId: string | null }): Promise<void>;
  rehabRecordPeriod(input: RehabPeriodInput): Promise<void>;
  rehabRenewAgreement(input: RehabRenewInput): Promise<void>;
  recordPayment(input: PaymentInput): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CaseActivities extends ChildRehabActivities {}

// ---- operations on many cases (activities/ops.ts, workflows/ops/) -------------------------------

export interface OpsActivities {
  /** Open tasks held by `fromUserId` under `scopePath`, oldest due first (at most BULK_REASSIGN_MAX_TASKS). */
  listTasksToReassign(input: { fromUserId: string; scopePath: string }): Promise<{ tasks: import('../workflows/contracts/ops').BulkTaskRef[]; truncated: boolean }>;
  /** Sends one `reassign` Update to the task's case workflow; idempotent (see activities/ops.ts). */
  reassignOneTask(input: import('../workflows/contracts/ops').ReassignOneInput): Promise<import('../workflows/contracts/ops').ReassignOutcome>;
  /** Stores an operation's progress in monitoring_operation (the api reads it when the workflow is gone). */
  recordOperation(progress: import('../workflows/contracts/ops').BulkProgress): Promise<void>;
  /** A supervisor extended a task's due date: write it to the task read model (retried until the row exists). */
  setTaskDue(input: { taskId: string; dueAt: string; dueDate: string }): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CaseActivities extends OpsActivities {}
