/**
 * The bulk reassignment workflow alone (a unit of one workflow) on the time-skipping test server,
 * against activities mocked here: every task is handled exactly once across continue-as-new runs,
 * each outcome (reassigned, skipped, failed by result, failed by a non-retryable error, reassigned
 * after a transient error) lands in the right list, and progress is recorded at start, at every
 * continue-as-new and at the end. The same workflow against the real api, worker and Postgres is
 * covered by test/e2e/monitoring. With RECORD_HISTORIES=1 its histories are saved for the replay gate.
 */
import { ApplicationFailure } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpsActivities } from '../../activities/types';
import type { Actor } from '../../workflows/contracts';
import {
  BULK_REASSIGN_WORKFLOW,
  BulkProgress,
  bulkProgressQuery,
  BulkReassignInput,
  bulkReassignWorkflowId,
  BulkTaskRef,
  ReassignOneInput,
  ReassignOutcome,
} from '../../workflows/contracts/ops';
import { registerCaseSearchAttributes } from '../setup/search-attributes';
import { testServerExecutable } from '../setup/services';

const TQ = 'bulk-reassign-test';
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: testServerExecutable() } });
  await registerCaseSearchAttributes(env.connection, env.namespace ?? 'default');
});

afterAll(async () => {
  await env?.teardown();
});

const manager: Actor = { id: 'u-manager', name: '县管理员', role: 'manager', orgPath: '/c/co', partnerId: null };
const target: Actor = { id: 'u-new', name: '新办事员', role: 'village_caseworker', orgPath: '/c/co/t/v', partnerId: null };
const task = (n: number): BulkTaskRef => ({ taskId: `t${n}`, caseId: `c${n}`, caseNo: `CASE-${n}`, workflowId: `case-c${n}` });

test('every task is handled once across continue-as-new runs, each outcome in its list, progress recorded', async () => {
  const tasks = [1, 2, 3, 4, 5].map(task);
  const listed: { fromUserId: string; scopePath: string }[] = [];
  const calls: string[] = [];
  const recorded: BulkProgress[] = [];
  const activities: Pick<OpsActivities, 'listTasksToReassign' | 'reassignOneTask' | 'recordOperation'> = {
    async listTasksToReassign(input) {
      listed.push(input);
      return { tasks, truncated: false };
    },
    async reassignOneTask(input: ReassignOneInput): Promise<ReassignOutcome> {
      calls.push(input.task.taskId);
      expect(input.toUser).toEqual(target);
      expect(input.actor).toEqual(manager);
      switch (input.task.taskId) {
        case 't2':
          return { status: 'skipped', reason: '任务已关闭 / task closed' };
        case 't3':
          return { status: 'failed', code: 'FOREIGN_TASK', reason: '不在范围内 / out of scope' };
        case 't4': // a transient error on the first attempt: retried, then it goes through
          if (calls.filter((c) => c === 't4').length === 1) throw new Error('connection reset');
          return { status: 'reassigned' };
        case 't5':
          throw ApplicationFailure.nonRetryable('案件已不存在 / case gone', 'NOT_FOUND');
        default:
          return { status: 'reassigned' };
      }
    },
    async recordOperation(progress) {
      recorded.push(progress);
    },
  };
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TQ,
    workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! },
    activities,
  });
  const input: BulkReassignInput = {
    operationId: 'op-1',
    actor: manager,
    fromUserId: 'u-left',
    toUser: target,
    reason: '调岗 / moved',
    scopePath: '/c/co',
    concurrency: 2,
    perRun: 2,
  };
  await worker.runUntil(async () => {
    const h = await env.client.workflow.start(BULK_REASSIGN_WORKFLOW, { args: [input], taskQueue: TQ, workflowId: bulkReassignWorkflowId(input.operationId) });
    const done: BulkProgress = await h.result();
    expect(done).toMatchObject({
      operationId: 'op-1', status: 'completed', fromUserId: 'u-left', toUserId: 'u-new',
      total: 5, processed: 5, reassigned: 2, skipped: 1, failed: 2, truncated: false, runs: 3,
    });
    expect(done.finishedAt).not.toBeNull();
    expect(done.skippedItems).toEqual([{ taskId: 't2', caseNo: 'CASE-2', reason: '任务已关闭 / task closed' }]);
    expect([...done.failures].sort((a, b) => a.taskId.localeCompare(b.taskId))).toEqual([
      { taskId: 't3', caseId: 'c3', caseNo: 'CASE-3', code: 'FOREIGN_TASK', reason: '不在范围内 / out of scope' },
      { taskId: 't5', caseId: 'c5', caseNo: 'CASE-5', code: 'NOT_FOUND', reason: '案件已不存在 / case gone' },
    ]);
    // listed once (the first run), each task sent once, the transiently failing one retried once
    expect(listed).toEqual([{ fromUserId: 'u-left', scopePath: '/c/co' }]);
    expect([...calls].sort()).toEqual(['t1', 't2', 't3', 't4', 't4', 't5']);
    // progress: at start, at each of the two continue-as-new, at the end
    expect(recorded.map((p) => [p.status, p.processed, p.runs])).toEqual([
      ['running', 0, 1],
      ['running', 2, 1],
      ['running', 4, 2],
      ['completed', 5, 3],
    ]);
    // the query answers on the last run (a closed workflow is still queryable)
    expect(await h.query(bulkProgressQuery)).toEqual(done);

    if (process.env.RECORD_HISTORIES) {
      const dir = join(__dirname, '..', 'replay', 'histories');
      // the first run lists the tasks and continues as new; the last one carries the state and finishes
      const first = await env.client.workflow.getHandle(h.workflowId, h.firstExecutionRunId).fetchHistory();
      writeFileSync(join(dir, 'ops-bulk-reassign-first-run.json'), historyToJSON(first));
      writeFileSync(join(dir, 'ops-bulk-reassign-last-run.json'), historyToJSON(await h.fetchHistory()));
    }
  });
});
