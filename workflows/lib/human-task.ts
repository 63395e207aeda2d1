/**
 * Human task: a step a person must do (approve, fill in a record, make a visit).
 *  - assigned to a role at an org level resolved from the case's org unit (or to a partner);
 *  - due in working days on the Chinese calendar (computed in an activity, so recorded in history);
 *  - reminds the assignee at configured offsets before due; after due marks the task overdue and
 *    escalates to the next level and the managers over it;
 *  - finishes through the `taskAction` Update (see CaseRuntime for the validator).
 */
import { condition, proxyActivities } from '@temporalio/workflow';
import type { CaseActivities, TaskRow } from '../../activities/types';
import type { Actor, OrgLevel, TaskKind } from '../contracts/case';
import type { CaseRuntime, TaskResult, TaskState } from './case-runtime';
import { ancestorAt, parentLevel } from './routing';
import type { StepSetting } from './settings';

const { computeDue } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export interface TaskSpec {
  step: string;
  kind: TaskKind;
  /** Staff tasks: the role and the org level the task sits at. */
  role?: string;
  level?: OrgLevel;
  /** Partner tasks (hospital staff…): the partner. */
  partnerId?: string;
  /** A named assignee from the start (e.g. a task returned to the previous actor). */
  assignee?: Actor;
  setting: StepSetting;
  /** Case-level "waiting on" while this task is open. */
  waitingOn?: 'staff' | 'partner' | 'resident';
  validate?: (data: Record<string, unknown>) => string | null;
  /** For follow-ups: a due instant fixed by the programme instead of working days. */
  dueAtOverride?: { dueAt: string; dueDate: string; reminders: string[] };
  note?: string;
  /** Leave the case's current step as it is (tasks that run side by side within a phase). */
  keepCaseStep?: boolean;
}

export async function humanTask(rt: CaseRuntime, spec: TaskSpec): Promise<TaskResult> {
  const { id, seq } = rt.nextTaskId();
  const openedAt = rt.nowIso();
  // A case registered with an earlier receipt date: its first step's time limit counts from it.
  const received = spec.dueAtOverride ? null : rt.takeReceipt();
  const due =
    spec.dueAtOverride ??
    (await rt.track(
      computeDue({ from: received ?? openedAt, workingDays: spec.setting.workingDays, remindBefore: spec.setting.remindBefore ?? [1] }),
    ));

  let orgUnitCode: string;
  let orgPath: string;
  let role: string;
  if (spec.assignee) {
    role = spec.assignee.role;
    orgPath = spec.assignee.orgPath;
    orgUnitCode = orgPath.split('/').filter(Boolean).pop()!;
  } else if (spec.partnerId) {
    role = 'partner_staff';
    ({ code: orgUnitCode, path: orgPath } = ancestorAt(rt.row.orgPath, 'county'));
  } else {
    role = spec.role!;
    ({ code: orgUnitCode, path: orgPath } = ancestorAt(rt.row.orgPath, spec.level!));
  }

  const task: TaskState = {
    id,
    seq,
    step: spec.step,
    kind: spec.kind,
    status: 'open',
    assigneeRole: role,
    orgUnitCode,
    orgPath,
    partnerId: spec.assignee ? (spec.assignee.partnerId ?? null) : (spec.partnerId ?? null),
    assigneeUserId: spec.assignee?.id ?? null,
    dueAt: due.dueAt,
    dueDate: due.dueDate,
    overdue: false,
    remindedAt: null,
    escalatedAt: null,
    decision: null,
    decidedBy: null,
    note: spec.note ?? null,
    createdAt: openedAt,
    ...(received ? { clockStartAt: received } : {}),
    completedAt: null,
    validate: spec.validate,
    level: spec.level,
    remindBefore: spec.setting.remindBefore ?? [1],
  };
  rt.putTask(task);
  if (!spec.keepCaseStep) rt.setStep(spec.step, spec.waitingOn ?? (task.partnerId ? 'partner' : 'staff'));
  rt.event({ type: 'task_opened', step: spec.step, taskId: id, data: { role, orgUnitCode, dueDate: due.dueDate, partnerId: task.partnerId, ...(received ? { receivedAt: received } : {}) } });
  rt.notify({ key: `assigned:${id}`, type: 'task_assigned', caseId: rt.row.id, taskId: id, targets: [taskTarget(task)], vars: { caseNo: rt.row.caseNo, step: spec.step, dueDate: due.dueDate } });

  // Timers: reminders before due, then escalation at due. Each fires at most once. A supervisor's
  // `extend` (CaseRuntime) moves task.dueAt: the timers are then re-planned from the new due date,
  // with keys suffixed by the extension count. Without an extension this runs exactly as before.
  const plan = (reminders: string[], dueAt: string, x: number) => {
    const p: { at: number; kind: 'remind' | 'escalate'; i: number; x: number }[] = reminders.map((at, i) => ({ at: Date.parse(at), kind: 'remind' as const, i, x }));
    p.push({ at: Date.parse(dueAt), kind: 'escalate' as const, i: 0, x });
    return p.sort((a, b) => a.at - b.at);
  };
  // From a receipt date, reminders already past are not sent (the escalation at due still is).
  let pending = plan(received ? due.reminders.filter((r) => Date.parse(r) > Date.now()) : due.reminders, due.dueAt, 0);
  let plannedDueAt = task.dueAt;
  const settled = () => task.result !== undefined || task.status !== 'open';
  const moved = () => task.dueAt !== plannedDueAt;

  while (!settled()) {
    if (moved()) {
      plannedDueAt = task.dueAt;
      pending = plan(task.reminders ?? [], task.dueAt, task.extensions ?? 1);
    }
    const next = pending[0];
    if (!next) {
      await condition(() => settled() || moved());
      continue;
    }
    const wait = next.at - Date.now();
    if (wait > 0 && (await condition(() => settled() || moved(), wait))) continue;
    pending.shift();
    const sfx = next.x ? `:x${next.x}` : '';
    const vars = { caseNo: rt.row.caseNo, step: spec.step, dueDate: task.dueDate };
    if (next.kind === 'remind') {
      task.remindedAt = rt.nowIso();
      rt.touchTask(id);
      rt.event({ type: 'task_reminded', step: spec.step, taskId: id, data: { dueDate: task.dueDate } });
      rt.notify({ key: `remind:${id}${sfx}:${next.i}`, type: 'task_due_soon', caseId: rt.row.id, taskId: id, targets: [taskTarget(task)], vars });
    } else {
      task.overdue = true;
      task.escalatedAt = rt.nowIso();
      rt.touchTask(id);
      const up = escalationTargets(rt.row.orgPath, task, spec.level);
      rt.event({ type: 'task_escalated', step: spec.step, taskId: id, data: { dueDate: task.dueDate, to: up.map((t) => t.role ?? 'manager') } });
      rt.notify({ key: `overdue:${id}${sfx}`, type: 'task_overdue', caseId: rt.row.id, taskId: id, targets: [taskTarget(task)], vars });
      rt.notify({ key: `escalated:${id}${sfx}`, type: 'task_escalated', caseId: rt.row.id, taskId: id, targets: up, vars });
    }
  }
  if (!task.result) throw new Error(`task ${id} ended without a result`);
  return task.result;
}

export function taskTarget(t: TaskRow) {
  return t.assigneeUserId
    ? { userId: t.assigneeUserId }
    : { role: t.assigneeRole, orgUnitCode: t.orgUnitCode, partnerId: t.partnerId };
}

/** Next level up (village → township officer, township → county officer…) and the managers over the task. */
export function escalationTargets(caseOrgPath: string, t: TaskRow, taskLevel?: OrgLevel) {
  const targets: { role?: string; orgUnitCode?: string; managersOver?: string }[] = [];
  const level: OrgLevel = t.partnerId ? 'county' : (taskLevel ?? 'county');
  if (t.partnerId) {
    const county = ancestorAt(caseOrgPath, 'county');
    targets.push({ role: 'county_officer', orgUnitCode: county.code });
  } else if (level !== 'city') {
    const up = parentLevel(level);
    const unit = ancestorAt(caseOrgPath, up);
    const role = up === 'township' ? 'township_officer' : up === 'county' ? 'county_officer' : 'manager';
    targets.push({ role, orgUnitCode: unit.code });
  }
  targets.push({ managersOver: t.orgPath });
  return targets;
}

/**
 * An approval that may be returned for more information: a "return" sends a supplement task to
 * whoever completed the previous step (with the note); when they resubmit, the approval reopens.
 */
export async function approvalWithReturns(rt: CaseRuntime, spec: TaskSpec): Promise<TaskResult> {
  for (;;) {
    const previous = rt.lastActor;
    const r = await humanTask(rt, spec);
    if (r.action !== 'return') return r;
    if (!previous) return r; // nobody to return to: the caller treats it as a rejection
    await humanTask(rt, {
      step: `${spec.step}_supplement`,
      kind: 'record',
      assignee: previous,
      setting: spec.setting,
      note: r.reason,
      waitingOn: 'staff',
    });
  }
}
