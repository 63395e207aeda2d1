/**
 * The contract between the api and the case workflows: ids, Update/Query definitions and
 * their argument and result types. The api imports only this folder from workflows/.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';

export const TASK_QUEUE_DEFAULT = 'dpf-cases';
export const caseWorkflowId = (caseId: string) => `case-${caseId}`;

export type OrgLevel = 'city' | 'county' | 'township' | 'village';

/** Patch id of the receipt date (受理日期): the first human step's clock starts at the receipt. */
export const RECEIVED_AT_PATCH = 'case-received-at';

/**
 * The receipt date of a paper application (受理日期), common to every programme's case input.
 * A paper application is received at the village and typed in later: the time limit of the first
 * human step counts from the day it was received. The api checks it (an ISO date in Asia/Shanghai,
 * not in the future, at most 30 days back) and passes the start of that day as an instant; absent
 * (or today) = the clock starts when the task opens, as before.
 */
export interface CaseReceipt {
  receivedAt?: string | null;
}

/** Who is acting, as established by the api from the signed-in user (never from the request body). */
export interface Actor {
  id: string;
  name: string;
  role: string;
  /** Materialised path of the actor's org unit, e.g. "/360100/360121/". */
  orgPath: string;
  partnerId?: string | null;
}

export type TaskKind = 'approval' | 'record' | 'followup';
export type TaskAction = 'claim' | 'approve' | 'reject' | 'return' | 'reassign' | 'submit' | SupervisionAction;
/** Actions of a supervisor on someone else's open task (monitoring): remind now, escalate now, move the due date. */
export type SupervisionAction = 'nudge' | 'escalate' | 'extend';
/** Roles that may nudge, escalate or extend open tasks in their scope. */
export const SUPERVISOR_ROLES: readonly string[] = ['manager', 'county_officer', 'admin'];
/** Longest single extension of a due date, in working days. */
export const MAX_EXTENSION_WORKING_DAYS = 60;

export interface TaskActionInput {
  taskId: string;
  action: TaskAction;
  actor: Actor;
  /** Required for reject; the note for return. */
  reason?: string;
  /** For reassign: the new assignee, checked by the api (exists, role, scope) and again here. */
  toUser?: Actor;
  /** For submit: the programme-specific fields of a record or follow-up task. */
  data?: Record<string, unknown>;
  /** For extend: working days added to the later of the current due date and today (1–60). */
  extendWorkingDays?: number;
}

export interface TaskView {
  taskId: string;
  step: string;
  kind: TaskKind;
  status: 'open' | 'completed' | 'cancelled';
  assigneeRole: string;
  orgUnitCode: string;
  orgPath: string;
  partnerId: string | null;
  assigneeUserId: string | null;
  dueAt: string;
  dueDate: string;
  overdue: boolean;
  createdAt: string;
  /** When the task's time limit started, if earlier than createdAt (the case's receipt date). */
  clockStartAt?: string | null;
}

export interface CaseView {
  caseId: string;
  programme: string;
  status: 'open' | 'closed';
  step: string;
  waitingOn: 'staff' | 'partner' | 'resident' | 'timer' | 'none';
  outcome: string | null;
  ruleVersion: string;
  openTasks: TaskView[];
  data: Record<string, unknown>;
  seq: number;
}

/** Error types thrown by Update validators; the api maps them to HTTP statuses. */
export const CaseErrors = {
  TASK_NOT_FOUND: 'TASK_NOT_FOUND', // 404
  TASK_CLOSED: 'TASK_CLOSED', // 409
  TASK_CLAIMED: 'TASK_CLAIMED', // 409 (claimed by someone else)
  FOREIGN_TASK: 'FOREIGN_TASK', // 403 (role or scope does not match)
  FOUR_EYES: 'FOUR_EYES', // 422
  INVALID_DECISION: 'INVALID_DECISION', // 422 (malformed: missing reason, bad data)
  CASE_CLOSED: 'CASE_CLOSED', // 409
} as const;
export type CaseErrorType = (typeof CaseErrors)[keyof typeof CaseErrors];

export const taskActionUpdate = defineUpdate<CaseView, [TaskActionInput]>('taskAction');
export const caseViewQuery = defineQuery<CaseView>('caseView');
