/**
 * The state every case workflow shares: its sequence counter, open tasks, timeline outbox and
 * the handlers the api talks to (Query `caseView`, Update `taskAction`).
 *
 * Side effects leave the workflow through one place, `flushLoop`: it projects the case row,
 * the tasks and the new timeline events into Postgres (activity `projectCase`, idempotent by
 * sequence) and enqueues notifications (activity `enqueueNotifications`, idempotent by key).
 */
import { condition, patched, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { CaseActivities, CaseRow, NotificationRequest, TaskRow, TimelineEventRow } from '../../activities/types';
import {
  Actor,
  CaseErrors,
  caseViewQuery,
  CaseView,
  TaskActionInput,
  taskActionUpdate,
  TaskKind,
  TaskView,
  MAX_EXTENSION_WORKING_DAYS,
  RECEIVED_AT_PATCH,
  SUPERVISOR_ROLES,
} from '../contracts/case';
import type { OrgLevel } from '../contracts/case';
import { CaseDueAtKey, CaseOrgPathKey, CaseProgramKey, CaseStepKey, CaseWaitingOnKey, orgPathCodes } from '../contracts/search-attributes';
import { stepLabel } from '../contracts/step-labels';
import { refuse } from './errors';
import { escalationTargets, taskTarget } from './human-task';
import { inScope } from './routing';

/** Patch id: a task action's Update answers once the read model holds it, without waiting for the notification enqueue. */
export const UPDATE_AFTER_PROJECTION_PATCH = 'update-returns-after-projection';

/**
 * Patch id: a change of the case row alone (`setStep`, `mergeData`: e.g. intake done → training)
 * reaches the read model at once, as the same seq with a higher row version. Before it, such a
 * change waited for the case's next event, which could be a month away (the projection writes a
 * case row only when it is newer).
 */
export const PROJECT_ROW_CHANGES_PATCH = 'project-row-changes';

// Chinese words for the refusal messages of the task-action validator (`中文 / English`).
const ACTION_ZH: Record<string, string> = {
  claim: '认领', approve: '同意', reject: '不同意', return: '退回补充材料', reassign: '重新分派', submit: '提交', nudge: '催办', escalate: '上报', extend: '延期',
};
const TASK_STATUS_ZH: Record<string, string> = { open: '待办', completed: '办结', cancelled: '取消' };
const KIND_ZH: Record<TaskKind, string> = { approval: '审批', record: '登记', followup: '随访' };

/** Projection and notification must eventually succeed: retry forever with capped back-off. */
const sideEffects = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

export interface TaskResult {
  action: 'approve' | 'reject' | 'return' | 'submit';
  actor: Actor;
  reason?: string;
  data?: Record<string, unknown>;
}

export interface TaskState extends TaskRow {
  /** Validates `data` of a submit; returns an error message or null. */
  validate?: (data: Record<string, unknown>) => string | null;
  result?: TaskResult;
  seq: number;
  /** Kept by humanTask so a supervisor's escalate/extend acts like the timers (not projected). */
  level?: OrgLevel;
  remindBefore?: number[];
  /** After an `extend`: the new reminder instants and the extension count; humanTask re-plans its timers from them. */
  reminders?: string[];
  extensions?: number;
}

export interface CaseStart {
  caseId: string;
  caseNo: string;
  programme: string;
  personId: string;
  orgUnitCode: string;
  orgPath: string;
  ruleVersion: string;
  campaignId?: string | null;
  createdBy?: string | null;
  openedAt: string;
  /** Receipt date of a paper application (start of that day, an instant); see CaseReceipt. */
  receivedAt?: string | null;
  /** Continue-as-new: the state of the previous run (from `carry()`); absent for a new case. */
  resume?: CaseResume;
}

/**
 * What a case carries into its next run when it continues as new (long cases, e.g. one run per
 * service year): the sequence counter (task ids and projection order go on from it), the
 * four-eyes approvals, who acted last, and the case row. Open tasks are not carried: a workflow
 * continues as new only once its tasks are done.
 */
export interface CaseResume {
  seq: number;
  /** Row-only projections at `seq` (PROJECT_ROW_CHANGES_PATCH); absent = 0. */
  rowVersion?: number;
  approvals: [string, string][];
  lastActor: Actor | null;
  row: Pick<CaseRow, 'step' | 'waitingOn' | 'partnerId' | 'data'>;
}

export class CaseRuntime {
  private seq = 0;
  private projectedSeq = 0;
  private inFlight = 0;
  private flushing = false;
  /** True while `projectCase` runs (a part of `flushing`, which also covers the notification enqueue). */
  private projecting = false;
  private readonly pendingEvents: TimelineEventRow[] = [];
  private readonly dirtyTasks = new Set<string>();
  /** The case row changed since the last flush took it (only with PROJECT_ROW_CHANGES_PATCH). */
  private rowDirty = false;
  /** Row-only projections at the current seq; back to 0 when the seq rises. */
  private rowVersion = 0;
  private readonly pendingNotifications: NotificationRequest[] = [];
  readonly tasks = new Map<string, TaskState>();
  /** Four-eyes: user id → step of an approval that user gave on this case. */
  private readonly approvals = new Map<string, string>();
  /** Tasks whose due date is being extended right now (see supervise). */
  private readonly extending = new Set<string>();
  /** The search attributes last upserted (JSON), so a flush upserts only what changed. */
  private searchAttributesSent = '';
  /** Who completed the most recent step; "return for information" goes back to them. */
  lastActor: Actor | null = null;
  readonly row: CaseRow;
  /** The receipt date, until the first human task takes it (never carried into a next run). */
  private receivedAt: string | null;

  constructor(start: CaseStart) {
    this.row = {
      id: start.caseId,
      caseNo: start.caseNo,
      programme: start.programme,
      personId: start.personId,
      orgUnitCode: start.orgUnitCode,
      orgPath: start.orgPath,
      status: 'open',
      step: 'registered',
      waitingOn: 'staff',
      outcome: null,
      workflowId: workflowInfo().workflowId,
      ruleVersion: start.ruleVersion,
      partnerId: null,
      campaignId: start.campaignId ?? null,
      createdBy: start.createdBy ?? null,
      data: {},
      openedAt: start.openedAt,
      closedAt: null,
    };
    this.receivedAt = start.resume ? null : (start.receivedAt ?? null);
    const r = start.resume;
    if (r) {
      // Everything up to r.seq was projected by the previous run.
      this.seq = r.seq;
      this.projectedSeq = r.seq;
      this.rowVersion = r.rowVersion ?? 0;
      for (const [userId, step] of r.approvals) this.approvals.set(userId, step);
      this.lastActor = r.lastActor;
      Object.assign(this.row, { step: r.row.step, waitingOn: r.row.waitingOn, partnerId: r.row.partnerId, data: { ...r.row.data } });
    }
  }

  /** The state to hand to the next run (`CaseStart.resume`) before continuing as new. */
  carry(): CaseResume {
    return {
      seq: this.seq,
      ...(this.rowVersion && this.seq === this.projectedSeq ? { rowVersion: this.rowVersion } : {}),
      approvals: [...this.approvals.entries()],
      lastActor: this.lastActor,
      row: { step: this.row.step, waitingOn: this.row.waitingOn, partnerId: this.row.partnerId, data: { ...this.row.data } },
    };
  }

  /** Registers the Query and Update handlers and starts the flush loop. Call once, first. */
  install(): void {
    setHandler(caseViewQuery, () => this.view());
    setHandler(taskActionUpdate, (input) => this.onTaskAction(input), {
      validator: (input) => this.validateTaskAction(input),
    });
    void this.flushLoop();
  }

  /**
   * The receipt date for the first human task, once (later tasks start their clock when they open).
   * Only a case registered with an earlier receipt date takes the patch (RECEIVED_AT_PATCH), so
   * every case recorded before it, and every case without a receipt date, runs as before.
   */
  takeReceipt(): string | null {
    const r = this.receivedAt;
    this.receivedAt = null;
    if (!r || !(Date.parse(r) < Date.now())) return null;
    return patched(RECEIVED_AT_PATCH) ? r : null;
  }

  /** The first step cannot have started before `iso` (e.g. the campaign's screening); null drops the receipt. */
  receiptNotBefore(iso: string | null): void {
    if (!this.receivedAt) return;
    if (iso === null) this.receivedAt = null;
    else if (Date.parse(this.receivedAt) < Date.parse(iso)) this.receivedAt = iso;
  }

  nowIso(): string {
    return new Date().toISOString(); // workflow time: deterministic, recorded in history
  }

  /** Appends a timeline event (projected in the next flush). Returns its sequence number. */
  event(e: Omit<TimelineEventRow, 'seq' | 'at'> & { at?: string }): number {
    const seq = ++this.seq;
    this.pendingEvents.push({ ...e, seq, at: e.at ?? this.nowIso() });
    return seq;
  }

  notify(req: NotificationRequest): void {
    this.pendingNotifications.push(req);
  }

  setStep(step: string, waitingOn: CaseRow['waitingOn']): void {
    this.row.step = step;
    this.row.waitingOn = waitingOn;
    this.rowChanged();
  }

  mergeData(data: Record<string, unknown>): void {
    Object.assign(this.row.data, data);
    this.rowChanged();
  }

  /** The case row changed: the next flush writes it even without an event (PROJECT_ROW_CHANGES_PATCH). */
  private rowChanged(): void {
    if (!this.rowDirty && patched(PROJECT_ROW_CHANGES_PATCH)) this.rowDirty = true;
  }

  nextTaskId(): { id: string; seq: number } {
    const seq = ++this.seq;
    return { id: `${this.row.id}-t${seq}`, seq };
  }

  putTask(t: TaskState): void {
    this.tasks.set(t.id, t);
    this.dirtyTasks.add(t.id);
  }

  touchTask(id: string): void {
    this.dirtyTasks.add(id);
  }

  /** Runs an activity call and counts it, so Update handlers can wait until the case settles. */
  async track<T>(p: Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await p;
    } finally {
      this.inFlight--;
    }
  }

  close(outcome: string, reason?: string): void {
    for (const t of this.tasks.values()) {
      if (t.status === 'open') {
        t.status = 'cancelled';
        t.completedAt = this.nowIso();
        this.touchTask(t.id);
      }
    }
    this.row.status = 'closed';
    this.row.outcome = outcome;
    this.row.closedAt = this.nowIso();
    this.row.waitingOn = 'none';
    this.event({ type: 'case_closed', step: this.row.step, decision: outcome, reason: reason ?? null });
    // The person who registered the case hears how it ended (added 2026-12: cases closed before
    // this change replay without the message; see test/replay).
    if (this.row.createdBy && patched('notify-case-closed')) {
      this.notify({
        key: `closed:${this.row.id}`, type: 'case_decided', caseId: this.row.id,
        targets: [{ userId: this.row.createdBy }], vars: { caseNo: this.row.caseNo, outcome },
      });
    }
  }

  /** Waits until everything recorded so far is in Postgres (call before the workflow returns). */
  async drain(): Promise<void> {
    await condition(() => this.idle());
  }

  view(): CaseView {
    const openTasks: TaskView[] = [...this.tasks.values()]
      .filter((t) => t.status === 'open')
      .map((t) => ({
        taskId: t.id,
        step: t.step,
        kind: t.kind,
        status: t.status,
        assigneeRole: t.assigneeRole,
        orgUnitCode: t.orgUnitCode,
        orgPath: t.orgPath,
        partnerId: t.partnerId,
        assigneeUserId: t.assigneeUserId,
        dueAt: t.dueAt,
        dueDate: t.dueDate,
        overdue: t.overdue,
        createdAt: t.createdAt,
        clockStartAt: t.clockStartAt ?? null,
      }));
    return {
      caseId: this.row.id,
      programme: this.row.programme,
      status: this.row.status,
      step: this.row.step,
      waitingOn: this.row.waitingOn as CaseView['waitingOn'],
      outcome: this.row.outcome,
      ruleVersion: this.row.ruleVersion,
      openTasks,
      data: this.row.data,
      seq: this.seq,
    };
  }

  /** Projected, and the notifications of the last flush are in the queue too (nothing in flight). */
  private idle(): boolean {
    return !this.flushing && this.pendingNotifications.length === 0 && this.projected();
  }

  /**
   * Everything recorded so far is in the read model (Postgres): what an Update waits for before it
   * answers. Unlike `idle()`, notifications may still be on their way to the queue (they are enqueued
   * after the projection in the same flush, and retried until Redis takes them).
   */
  private projected(): boolean {
    return (
      !this.projecting &&
      this.inFlight === 0 &&
      this.pendingEvents.length === 0 &&
      this.dirtyTasks.size === 0 &&
      !this.rowDirty &&
      this.projectedSeq >= this.seq
    );
  }

  private async flushLoop(): Promise<void> {
    for (;;) {
      await condition(
        () =>
          this.pendingEvents.length > 0 ||
          this.dirtyTasks.size > 0 ||
          this.rowDirty ||
          this.pendingNotifications.length > 0 ||
          this.projectedSeq < this.seq,
      );
      this.flushing = true;
      try {
        this.syncSearchAttributes();
        const seq = this.seq;
        // (seq, rowVersion) orders the case rows written: a higher seq carries every row change with
        // it; a row-only change at the same seq gets the next row version.
        if (seq > this.projectedSeq) this.rowVersion = 0;
        else if (this.rowDirty) this.rowVersion++;
        this.rowDirty = false;
        const rowVersion = this.rowVersion;
        const events = this.pendingEvents.splice(0);
        const tasks = [...this.dirtyTasks].map((id) => this.taskRow(this.tasks.get(id)!));
        this.dirtyTasks.clear();
        this.projecting = true;
        try {
          await sideEffects.projectCase({ seq, ...(rowVersion ? { rowVersion } : {}), caseRow: { ...this.row, data: { ...this.row.data } }, events, tasks });
        } finally {
          this.projecting = false;
        }
        this.projectedSeq = seq;
        const notes = this.pendingNotifications.splice(0);
        if (notes.length) await sideEffects.enqueueNotifications(notes);
      } finally {
        this.flushing = false;
      }
    }
  }

  /**
   * Keeps the Temporal search attributes (workflows/contracts/search-attributes.ts) in step with the
   * case, so operators can filter in the Temporal UI: programme, org unit path (codes), step, earliest
   * due date of the open tasks, waiting-on. Codes and dates only, never personal data. Upserts only
   * when one of them changed. Added 2026-12: cases recorded before replay without the upserts (the
   * patch is taken at the first flush that is not a replay, so open cases get their attributes then).
   */
  private syncSearchAttributes(): void {
    const due = [...this.tasks.values()]
      .filter((t) => t.status === 'open' && t.dueAt)
      .map((t) => Date.parse(t.dueAt))
      .filter((n) => Number.isFinite(n));
    const attrs = {
      program: this.row.programme,
      orgPath: orgPathCodes(this.row.orgPath),
      step: this.row.step,
      dueAt: due.length ? new Date(Math.min(...due)).toISOString() : null,
      waitingOn: this.row.waitingOn,
    };
    const key = JSON.stringify(attrs);
    if (key === this.searchAttributesSent || !patched('case-search-attributes')) return;
    const updates: SearchAttributeUpdatePair[] = [
      { key: CaseProgramKey, value: attrs.program },
      { key: CaseOrgPathKey, value: attrs.orgPath },
      { key: CaseStepKey, value: attrs.step },
      { key: CaseDueAtKey, value: attrs.dueAt ? new Date(attrs.dueAt) : null },
      { key: CaseWaitingOnKey, value: attrs.waitingOn },
    ];
    upsertSearchAttributes(updates);
    this.searchAttributesSent = key;
  }

  private taskRow(t: TaskState): TaskRow {
    const { validate: _v, result: _r, seq: _s, level: _l, remindBefore: _rb, reminders: _rm, extensions: _x, ...row } = t;
    return row;
  }

  // ---- Update: claim / approve / reject / return / reassign / submit -------------------------

  private mayAct(t: TaskState, actor: Actor): boolean {
    if (t.partnerId) return actor.role === 'partner_staff' && actor.partnerId === t.partnerId;
    return actor.role === t.assigneeRole && inScope(actor.orgPath, t.orgPath);
  }

  private validateTaskAction(input: TaskActionInput): void {
    if (!input || typeof input !== 'object' || typeof input.taskId !== 'string' || !input.actor?.id) {
      refuse(CaseErrors.INVALID_DECISION, '操作请求格式不正确 / malformed action');
    }
    if (this.row.status === 'closed') refuse(CaseErrors.CASE_CLOSED, '该案件已结案 / the case is closed');
    const t = this.tasks.get(input.taskId);
    if (!t) refuse(CaseErrors.TASK_NOT_FOUND, `本案件中没有该任务（${input.taskId}） / no task ${input.taskId} on this case`);
    if (t.status !== 'open') refuse(CaseErrors.TASK_CLOSED, `该任务已${TASK_STATUS_ZH[t.status] ?? t.status} / task ${t.id} is already ${t.status}`);
    const { actor, action } = input;
    const managerInScope = actor.role === 'manager' && inScope(actor.orgPath, t.orgPath);
    if (action === 'reassign') {
      if (!this.mayAct(t, actor) && !managerInScope) refuse(CaseErrors.FOREIGN_TASK, '您无权重新分派此任务 / not your task to reassign');
      const to = input.toUser;
      if (!to?.id) refuse(CaseErrors.INVALID_DECISION, '重新分派须指定新的经办人 / reassign needs the new assignee');
      if (!this.mayAct(t, to)) refuse(CaseErrors.INVALID_DECISION, '所选人员的角色或辖区与该任务不符 / the new assignee has the wrong role or scope');
      return;
    }
    if (action === 'nudge' || action === 'escalate' || action === 'extend') {
      if (!SUPERVISOR_ROLES.includes(actor.role) || !inScope(actor.orgPath, t.orgPath)) refuse(CaseErrors.FOREIGN_TASK, `只有该任务的上级主管可以${ACTION_ZH[action] ?? action} / only a supervisor over this task may ${action} it`);
      if (action !== 'nudge' && !input.reason?.trim()) refuse(CaseErrors.INVALID_DECISION, `${ACTION_ZH[action] ?? action}须填写原因 / a reason is required to ${action}`);
      const n = input.extendWorkingDays;
      if (action === 'extend' && !(Number.isInteger(n) && n! >= 1 && n! <= MAX_EXTENSION_WORKING_DAYS)) {
        refuse(CaseErrors.INVALID_DECISION, `延期工作日数须为 1 至 ${MAX_EXTENSION_WORKING_DAYS} 的整数 / extendWorkingDays must be a whole number from 1 to ${MAX_EXTENSION_WORKING_DAYS}`);
      }
      if (action === 'extend' && this.extending.has(t.id)) refuse(CaseErrors.INVALID_DECISION, '该任务的另一次延期正在办理，请稍后再试 / another extension of this task is being applied; try again');
      return;
    }
    if (!this.mayAct(t, actor)) refuse(CaseErrors.FOREIGN_TASK, '此任务不属于您的角色或辖区 / this task is not in your role or area');
    if (t.assigneeUserId && t.assigneeUserId !== actor.id) {
      refuse(CaseErrors.TASK_CLAIMED, '此任务已由他人认领 / another person has claimed this task');
    }
    const allowed: Record<TaskKind, string[]> = {
      approval: ['claim', 'approve', 'reject', 'return'],
      record: ['claim', 'submit'],
      followup: ['claim', 'submit'],
    };
    if (!allowed[t.kind].includes(action)) {
      refuse(CaseErrors.INVALID_DECISION, `${KIND_ZH[t.kind]}任务不能执行“${ACTION_ZH[action] ?? action}” / action ${action} is not possible on a ${t.kind} task`);
    }
    if ((action === 'reject' || action === 'return') && !input.reason?.trim()) {
      refuse(CaseErrors.INVALID_DECISION, `${ACTION_ZH[action] ?? action}须填写原因 / a reason is required to ${action}`);
    }
    if (action === 'approve') {
      const earlier = this.approvals.get(actor.id);
      if (earlier && earlier !== t.step) {
        refuse(CaseErrors.FOUR_EYES, `您已审批本案件的“${stepLabel(earlier)}”，“${stepLabel(t.step)}”须由另一人审批 / you already approved step ${earlier} of this case; another person must approve ${t.step}`);
      }
    }
    if (action === 'submit') {
      const problem = t.validate?.(input.data ?? {}) ?? null;
      if (problem) refuse(CaseErrors.INVALID_DECISION, problem);
    }
  }

  private async onTaskAction(input: TaskActionInput): Promise<CaseView> {
    const t = this.tasks.get(input.taskId)!;
    const { actor, action } = input;
    if (action === 'claim') {
      t.assigneeUserId = actor.id;
      this.touchTask(t.id);
      this.event({ type: 'task_claimed', step: t.step, taskId: t.id, actor });
    } else if (action === 'reassign') {
      const to = input.toUser!;
      t.assigneeUserId = to.id;
      this.touchTask(t.id);
      this.event({ type: 'task_reassigned', step: t.step, taskId: t.id, actor, reason: input.reason ?? null, data: { to: { id: to.id, name: to.name } } });
      this.notify({ key: `assigned:${t.id}:${to.id}`, type: 'task_assigned', caseId: this.row.id, taskId: t.id, targets: [{ userId: to.id }], vars: { caseNo: this.row.caseNo, step: t.step } });
    } else if (action === 'nudge' || action === 'escalate' || action === 'extend') {
      await this.supervise(t, input);
    } else {
      if (action === 'approve') this.approvals.set(actor.id, t.step);
      t.status = 'completed';
      t.decision = action;
      t.decidedBy = actor.id;
      t.note = input.reason ?? null;
      t.completedAt = this.nowIso();
      t.assigneeUserId = t.assigneeUserId ?? actor.id;
      t.result = { action, actor, reason: input.reason, data: input.data };
      this.touchTask(t.id);
      this.lastActor = actor;
      this.event({
        type: t.kind === 'approval' ? 'task_decided' : 'task_submitted',
        step: t.step,
        taskId: t.id,
        actor,
        decision: action,
        reason: input.reason ?? null,
        data: input.data ?? {},
      });
    }
    // Read-your-writes: return once what follows from this action is in Postgres. Since
    // UPDATE_AFTER_PROJECTION_PATCH (issue #10) the answer no longer also waits for the notification
    // enqueue that follows the projection (one workflow task and one activity less per decision);
    // histories recorded before it replay with the old wait.
    if (patched(UPDATE_AFTER_PROJECTION_PATCH)) await condition(() => this.projected());
    else await condition(() => this.idle());
    return this.view();
  }

  /**
   * A supervisor's nudge (remind now), escalate (now, as the due timer would) or extend (move the due
   * date by N working days from the later of the due date and today; humanTask re-plans its timers).
   * Runs only when such an Update arrives, so recorded histories without one replay unchanged.
   */
  private async supervise(t: TaskState, input: TaskActionInput): Promise<void> {
    const { actor, action } = input;
    const vars = { caseNo: this.row.caseNo, step: t.step, dueDate: t.dueDate };
    if (action === 'nudge') {
      t.remindedAt = this.nowIso();
      this.touchTask(t.id);
      const seq = this.event({ type: 'task_nudged', step: t.step, taskId: t.id, actor, reason: input.reason ?? null, data: { dueDate: t.dueDate } });
      this.notify({ key: `nudge:${t.id}:${seq}`, type: 'task_due_soon', caseId: this.row.id, taskId: t.id, targets: [taskTarget(t)], vars });
    } else if (action === 'escalate') {
      t.escalatedAt = this.nowIso();
      this.touchTask(t.id);
      const up = escalationTargets(this.row.orgPath, t, t.level);
      const seq = this.event({ type: 'task_escalated', step: t.step, taskId: t.id, actor, reason: input.reason ?? null, data: { dueDate: t.dueDate, manual: true, to: up.map((x) => x.role ?? 'manager') } });
      this.notify({ key: `escalated:${t.id}:m${seq}`, type: 'task_escalated', caseId: this.row.id, taskId: t.id, targets: up, vars });
    } else {
      this.extending.add(t.id); // one extension of a task at a time (the validator refuses a second)
      try {
        const from = Math.max(Date.now(), Date.parse(t.dueAt));
        const due = await this.track(sideEffects.computeDue({ from: new Date(from).toISOString(), workingDays: input.extendWorkingDays!, remindBefore: t.remindBefore ?? [1] }));
        if (t.status !== 'open') return; // decided while the due date was computed
        const previous = t.dueDate;
        t.dueAt = due.dueAt;
        t.dueDate = due.dueDate;
        t.reminders = due.reminders.filter((r) => Date.parse(r) > Date.now());
        t.extensions = (t.extensions ?? 0) + 1;
        t.overdue = false;
        this.touchTask(t.id);
        this.event({ type: 'task_due_extended', step: t.step, taskId: t.id, actor, reason: input.reason ?? null, data: { from: previous, to: due.dueDate, workingDays: input.extendWorkingDays } });
        // The task projection keeps a task's due date once written; the new one goes in here.
        await this.track(sideEffects.setTaskDue({ taskId: t.id, dueAt: due.dueAt, dueDate: due.dueDate }));
      } finally {
        this.extending.delete(t.id);
      }
    }
  }
}
