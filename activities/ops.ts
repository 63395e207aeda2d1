/**
 * Activities of the bulk operations (workflows/ops/): they read the read model and talk to other
 * case workflows through a Temporal Client (ActivityDeps.temporal, built by the worker).
 * Each is idempotent, because activities run at least once.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { caseViewQuery, taskActionUpdate } from '../workflows/contracts/case';
import type { CaseView } from '../workflows/contracts/case';
import { BULK_REASSIGN_MAX_TASKS } from '../workflows/contracts/ops';
import type { BulkProgress, BulkTaskRef, ReassignOneInput, ReassignOutcome } from '../workflows/contracts/ops';
import type { OpsActivities } from './types';

export async function listTasksToReassign(ds: DataSource, input: { fromUserId: string; scopePath: string }) {
  const rows: BulkTaskRef[] = await ds.query(
    `SELECT t.id AS "taskId", t.case_id AS "caseId", c.case_no AS "caseNo", c.workflow_id AS "workflowId"
     FROM task t JOIN case_file c ON c.id = t.case_id
     WHERE t.status = 'open' AND t.assignee_user_id = $1 AND t.org_path LIKE $2
     ORDER BY t.due_at, t.id LIMIT ${BULK_REASSIGN_MAX_TASKS + 1}`,
    [input.fromUserId, `${input.scopePath}%`],
  );
  return { tasks: rows.slice(0, BULK_REASSIGN_MAX_TASKS), truncated: rows.length > BULK_REASSIGN_MAX_TASKS };
}

/** Heartbeat when running as an activity, so a killed worker's attempt is retried within the heartbeat timeout. */
function beat(): void {
  try {
    Context.current().heartbeat();
  } catch {
    /* not in an activity (direct call) */
  }
}

function refusalOf(err: unknown): ApplicationFailure | undefined {
  let e: any = err;
  for (let i = 0; e && i < 5; i++, e = e.cause) if (e instanceof ApplicationFailure) return e;
  return undefined;
}

/**
 * Reassigns one task through its case workflow (the source of truth, not the read model):
 *  - task no longer open or case closed → failed with the reason (nothing to do);
 *  - already assigned to the target → done (an earlier attempt got through: the idempotent skip);
 *  - held by someone other than the departed person now → skipped with the reason;
 *  - otherwise the `reassign` Update, with an update id derived from operation + task, so even two
 *    attempts racing each other are applied once by Temporal; a validator refusal (wrong role or
 *    scope of the new assignee…) is reported as a failure with its reason, not retried.
 * Transient errors (Temporal unreachable, timeouts) throw, so the activity is retried.
 */
export async function reassignOneTask(client: Client | undefined, input: ReassignOneInput): Promise<ReassignOutcome> {
  if (!client) throw ApplicationFailure.nonRetryable('no Temporal client in the activity dependencies (ActivityDeps.temporal)', 'NO_CLIENT');
  const { task } = input;
  const h = client.workflow.getHandle(task.workflowId);
  const notFound = { status: 'failed', code: 'CASE_NOT_FOUND', reason: '案件流程不存在 / the case workflow does not exist' } as const;
  let view: CaseView;
  beat();
  try {
    const d = await client.withDeadline(Date.now() + 10_000, () => h.describe());
    if (d.status.name !== 'RUNNING') {
      return { status: 'failed', code: 'CASE_WORKFLOW_CLOSED', reason: `案件流程已结束（${d.status.name}） / the case workflow is ${d.status.name.toLowerCase()}` };
    }
    beat();
    view = await client.withDeadline(Date.now() + 10_000, () => h.query(caseViewQuery));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return notFound;
    throw err;
  }
  if (view.status === 'closed') return { status: 'failed', code: 'CASE_CLOSED', reason: '案件已结案 / the case is closed' };
  const t = view.openTasks.find((x) => x.taskId === task.taskId);
  if (!t) return { status: 'failed', code: 'TASK_CLOSED', reason: '任务已办结或已取消 / the task is no longer open' };
  const updateId = `bulk-reassign:${input.operationId}:${task.taskId}`;
  if (t.assigneeUserId === input.toUser.id) {
    // An earlier attempt of this activity got through (the worker may have died before it returned):
    // wait for that Update to finish, i.e. for the read model to hold the change, before counting it.
    // No Update of that id (the task was handed over by another way): nothing to wait for.
    beat();
    await client.withDeadline(Date.now() + 12_000, () => h.getUpdateHandle(updateId).result()).catch((err) => {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    });
    return { status: 'reassigned', already: true };
  }
  if (t.assigneeUserId !== input.fromUserId) {
    return { status: 'skipped', reason: '任务已由他人办理 / the task is now held by someone else' };
  }
  beat();
  try {
    await client.withDeadline(Date.now() + 12_000, () =>
      h.executeUpdate(taskActionUpdate, {
        args: [{ taskId: task.taskId, action: 'reassign', actor: input.actor, toUser: input.toUser, reason: input.reason ?? '批量移交 / bulk reassignment' }],
        updateId,
      }),
    );
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return notFound;
    const refusal = refusalOf(err);
    if (refusal && (err instanceof WorkflowUpdateFailedError || refusal.nonRetryable)) {
      return { status: 'failed', code: refusal.type ?? 'REFUSED', reason: refusal.message };
    }
    throw err;
  }
  return { status: 'reassigned' };
}

export async function recordOperation(ds: DataSource, p: BulkProgress): Promise<void> {
  await ds.query(
    `UPDATE monitoring_operation SET status = $2, total = $3, processed = $4, failed = $5, progress = $6,
       finished_at = $7, updated_at = now()
     WHERE id = $1 AND (finished_at IS NULL)`,
    [p.operationId, p.status, p.total, p.processed, p.failed, JSON.stringify(p), p.finishedAt],
  );
}

/**
 * The new due date of an extended task into the read model. The case projection (projection.ts)
 * writes a task's due date only when it inserts the row, so an extension is written here; if the
 * row is not projected yet the activity fails and is retried (the projection inserts it meanwhile,
 * already with the new date). Idempotent: it sets the same values again.
 */
export async function setTaskDue(ds: DataSource, input: { taskId: string; dueAt: string; dueDate: string }): Promise<void> {
  const [, n]: [unknown[], number] = await ds.query(`UPDATE task SET due_at = $2, due_date = $3 WHERE id = $1`, [input.taskId, input.dueAt, input.dueDate]);
  if (!n) throw new Error(`task ${input.taskId} is not in the read model yet`);
}

export function createOpsActivities(deps: { ds: DataSource; temporal?: Client }): OpsActivities {
  return {
    listTasksToReassign: (input) => listTasksToReassign(deps.ds, input),
    reassignOneTask: (input) => reassignOneTask(deps.temporal, input),
    recordOperation: (p) => recordOperation(deps.ds, p),
    setTaskDue: (input) => setTaskDue(deps.ds, input),
  };
}
