/**
 * Bulk reassignment (a caseworker left): every open task the person holds in the requester's
 * scope goes to another person, one `reassign` Update per task on its case workflow.
 *
 *  - its own workflow, so it survives worker and api restarts and resumes where it was;
 *  - the list of tasks is taken once (an activity, recorded in history) and carried in state;
 *  - each task is handled at most once: its id moves from `pending` to `reassigned`, `skipped`
 *    or `failures` in workflow state; the activity is idempotent as well (skips a task already
 *    assigned to the target; the Update carries an id derived from operation + task, which
 *    Temporal deduplicates), so an activity retried after a crash changes nothing twice;
 *  - progress and per-case failures with reasons through the `bulkProgress` Query, and in the
 *    monitoring_operation row at start, at every continue-as-new and at the end;
 *  - continues as new every `perRun` tasks so the history stays small for large departures.
 */
import { ActivityFailure, ApplicationFailure, continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';
import type { OpsActivities } from '../../activities/types';
import {
  BulkProgress,
  bulkProgressQuery,
  BulkReassignInput,
  BulkReassignState,
  BulkTaskRef,
} from '../contracts/ops';

/** One task: a few attempts for transient errors, then it is reported as failed (the rest go on). */
const perTask = proxyActivities<OpsActivities>({
  startToCloseTimeout: '60 seconds',
  // The activity heartbeats between its calls: a killed worker's attempt is retried after 15 s, not 60.
  heartbeatTimeout: '15 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', backoffCoefficient: 2, maximumAttempts: 5 },
});
/** Listing and recording must eventually succeed. */
const ledger = proxyActivities<OpsActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

function reasonOf(err: unknown): { code: string; reason: string } {
  let e: unknown = err;
  for (let i = 0; e && i < 5; i++) {
    if (e instanceof ApplicationFailure) return { code: e.type ?? 'ERROR', reason: e.message };
    if (e instanceof ActivityFailure) {
      e = e.cause;
      continue;
    }
    break;
  }
  return { code: 'ERROR', reason: err instanceof Error ? err.message : String(err) };
}

export function progressOf(input: BulkReassignInput, st: BulkReassignState, finishedAt: string | null): BulkProgress {
  return {
    operationId: input.operationId,
    kind: 'bulk_reassign',
    status: finishedAt ? 'completed' : 'running',
    fromUserId: input.fromUserId,
    toUserId: input.toUser.id,
    total: st.total,
    processed: st.reassigned.length + st.skipped.length + st.failures.length,
    reassigned: st.reassigned.length,
    skipped: st.skipped.length,
    failed: st.failures.length,
    truncated: st.truncated,
    failures: st.failures,
    skippedItems: st.skipped,
    startedAt: st.startedAt,
    finishedAt,
    runs: st.runs,
  };
}

export async function bulkReassignWorkflow(input: BulkReassignInput): Promise<BulkProgress> {
  let finishedAt: string | null = null;
  const st: BulkReassignState = input.carried
    ? { ...input.carried, runs: input.carried.runs + 1 }
    : { startedAt: new Date().toISOString(), truncated: false, total: 0, pending: [], reassigned: [], skipped: [], failures: [], runs: 1 };
  setHandler(bulkProgressQuery, () => progressOf(input, st, finishedAt));

  if (!input.carried) {
    const listed = await ledger.listTasksToReassign({ fromUserId: input.fromUserId, scopePath: input.scopePath });
    st.pending = listed.tasks;
    st.total = listed.tasks.length;
    st.truncated = listed.truncated;
    await ledger.recordOperation(progressOf(input, st, null));
  }

  const perRun = input.perRun ?? 250;
  const concurrency = Math.max(1, Math.min(input.concurrency ?? 16, 32));
  const queue = st.pending.slice(0, perRun);
  let next = 0;
  const handle = async (t: BulkTaskRef) => {
    try {
      const r = await perTask.reassignOneTask({
        operationId: input.operationId,
        task: t,
        fromUserId: input.fromUserId,
        toUser: input.toUser,
        actor: input.actor,
        reason: input.reason,
      });
      if (r.status === 'reassigned') st.reassigned.push(t.taskId);
      else if (r.status === 'skipped') st.skipped.push({ taskId: t.taskId, caseNo: t.caseNo, reason: r.reason });
      else st.failures.push({ taskId: t.taskId, caseId: t.caseId, caseNo: t.caseNo, code: r.code, reason: r.reason });
    } catch (err) {
      st.failures.push({ taskId: t.taskId, caseId: t.caseId, caseNo: t.caseNo, ...reasonOf(err) });
    }
    // Handled: it leaves `pending`, so neither this run nor a later one takes it again.
    st.pending = st.pending.filter((p) => p.taskId !== t.taskId);
  };
  const lane = async () => {
    while (next < queue.length) await handle(queue[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, lane));

  if (st.pending.length > 0) {
    await ledger.recordOperation(progressOf(input, st, null));
    return continueAsNew<typeof bulkReassignWorkflow>({ ...input, carried: st });
  }
  finishedAt = new Date().toISOString();
  const done = progressOf(input, st, finishedAt);
  await ledger.recordOperation(done);
  return done;
}
