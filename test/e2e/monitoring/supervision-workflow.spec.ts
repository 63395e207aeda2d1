/**
 * The supervision actions in the case runtime (nudge, escalate, extend), on the time-skipping test
 * server with the real activities on Postgres and Redis: the validator, the timeline and the read
 * model, and that reminders and escalation follow an extended due date. The recorded history is then
 * replayed against the same workflow code (the new handlers are deterministic).
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CalendarSource } from '../../../activities/calendar';
import { createActivities } from '../../../activities';
import { createDataSource } from '../../../src/database/data-source';
import { NOTIFICATION_QUEUE } from '../../../src/queues/redis';
import { registerCaseSearchAttributes } from '../../setup/search-attributes';
import { Actor, caseViewQuery, CaseView, caseWorkflowId, taskActionUpdate, TaskActionInput } from '../../../workflows/contracts';
import type { CataractCaseInput } from '../../../workflows/contracts/cataract';
import { CATARACT_DEFAULTS } from '../../../workflows/programs/cataract/steps';
import { createPerson, createStaff, createTree, Tree } from '../../setup/fixtures';
import { requireDatabase, testServerExecutable } from '../../setup/services';

const TQ = 'monitoring-supervision';
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let ds: DataSource;
let queue: Queue;
let tree: Tree;
let other: Tree;
const actors: Record<string, Actor> = {};

beforeAll(async () => {
  const { databaseUrl, redisUrl } = requireDatabase();
  ds = createDataSource(databaseUrl, 4);
  await ds.initialize();
  queue = new Queue(NOTIFICATION_QUEUE, { connection: { url: redisUrl } });
  tree = await createTree(ds);
  other = await createTree(ds);
  const mk = async (key: string, role: string, unit: { code: string; path: string }) => {
    const u = await createStaff(ds, { role, orgUnitCode: unit.code, name: key });
    actors[key] = { id: u.id, name: key, role, orgPath: unit.path, partnerId: null };
  };
  await mk('villager', 'village_caseworker', tree.villageA1);
  await mk('township1', 'township_officer', tree.townshipA);
  await mk('county1', 'county_officer', tree.county);
  await mk('manager', 'manager', tree.county);
  await mk('otherManager', 'manager', other.county);
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: testServerExecutable() } });
  await registerCaseSearchAttributes(env.connection, env.namespace ?? 'default');
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TQ,
    workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! },
    activities: createActivities({ ds, notifications: queue }),
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await queue?.close();
  await ds?.destroy();
});

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err: any) {
    return err?.cause?.type ?? err?.type ?? String(err);
  }
  throw new Error('expected a refusal');
}

async function waitFor<T>(fn: () => Promise<T | null | undefined>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('nudge, escalate, extend: refusals, timeline, read model; reminders and escalation follow the new due date; replays', async () => {
  const p = await createPerson(ds, tree.villageA1.code, tree.villageA1.path);
  const caseId = randomUUID();
  const input: CataractCaseInput = {
    caseId,
    caseNo: `M-${caseId.slice(0, 8)}`,
    personId: p.id,
    orgUnitCode: tree.villageA1.code,
    orgPath: tree.villageA1.path,
    campaign: { id: randomUUID(), name: '测试光明行', registrationEnd: '2020-01-01', screeningStart: '2020-01-01' },
    settings: CATARACT_DEFAULTS,
    openedBy: { id: actors.villager.id, name: 'villager', role: 'village_caseworker' },
    priority: 0,
  };
  const h = await env.client.workflow.start('cataractCaseWorkflow', { args: [input], taskQueue: TQ, workflowId: caseWorkflowId(caseId) });
  const t = await waitFor(async () => ((await h.query(caseViewQuery)) as CaseView).openTasks.find((x) => x.step === 'screening'));
  const act = (who: Actor, action: TaskActionInput['action'], extra: Partial<TaskActionInput> = {}) =>
    h.executeUpdate(taskActionUpdate, { args: [{ taskId: t.taskId, action, actor: who, ...extra }] });

  // the validator: supervisors in scope only, a reason to escalate or extend, 1–60 working days
  expect(await refusal(act(actors.township1, 'nudge'))).toBe('FOREIGN_TASK');
  expect(await refusal(act(actors.otherManager, 'escalate', { reason: 'x' }))).toBe('FOREIGN_TASK');
  expect(await refusal(act(actors.manager, 'escalate'))).toBe('INVALID_DECISION');
  expect(await refusal(act(actors.manager, 'extend', { reason: 'x', extendWorkingDays: 0 }))).toBe('INVALID_DECISION');
  expect(await refusal(act(actors.manager, 'extend', { reason: 'x', extendWorkingDays: 61 }))).toBe('INVALID_DECISION');
  expect(await refusal(act(actors.manager, 'extend', { extendWorkingDays: 3 }))).toBe('INVALID_DECISION');

  await act(actors.manager, 'nudge', { reason: '请尽快筛查' });
  await act(actors.manager, 'escalate', { reason: '群众反映' });
  const view = await act(actors.county1, 'extend', { reason: '医院排期', extendWorkingDays: 5 });
  const cal = await new CalendarSource(ds, 0).get();
  const newDue = cal.addWorkingDays(t.dueDate, 5);
  const after = view.openTasks.find((x) => x.taskId === t.taskId)!;
  expect(after.dueDate).toBe(newDue);
  expect(after.overdue).toBe(false);

  // the read model has the new due date (Update returns once it is written) and the timeline
  const [row] = await ds.query(`SELECT to_char(due_date, 'YYYY-MM-DD') AS due_date, due_at, reminded_at, escalated_at FROM task WHERE id = $1`, [t.taskId]);
  expect(row.due_date).toBe(newDue);
  expect(new Date(row.due_at).toISOString()).toBe(after.dueAt);
  expect(row.reminded_at).not.toBeNull();
  expect(row.escalated_at).not.toBeNull();
  const events: any[] = await ds.query(`SELECT type, actor_id, reason, data FROM case_event WHERE task_id = $1 ORDER BY seq`, [t.taskId]);
  expect(events.map((e) => e.type)).toEqual(['task_opened', 'task_nudged', 'task_escalated', 'task_due_extended']);
  expect(events[2].data.manual).toBe(true);
  expect(events[2].actor_id).toBe(actors.manager.id);
  expect(events[3].data).toMatchObject({ from: t.dueDate, to: newDue, workingDays: 5 });
  expect(events[3].reason).toBe('医院排期');

  // past the old due date: nothing fires (the timers were re-planned)
  await env.sleep(Date.parse(t.dueAt) - (await env.currentTimeMs()) + 60_000);
  let v: CaseView = await h.query(caseViewQuery);
  expect(v.openTasks.find((x) => x.taskId === t.taskId)!.overdue).toBe(false);
  const mid: any[] = await ds.query(`SELECT type FROM case_event WHERE task_id = $1 ORDER BY seq`, [t.taskId]);
  expect(mid.map((e) => e.type)).toEqual(['task_opened', 'task_nudged', 'task_escalated', 'task_due_extended']);

  // past the new due date: the reminder (one working day before) and the escalation fire
  await env.sleep(Date.parse(after.dueAt) - (await env.currentTimeMs()) + 60_000);
  v = await h.query(caseViewQuery);
  expect(v.openTasks.find((x) => x.taskId === t.taskId)!.overdue).toBe(true);
  const types = await waitFor(async () => {
    const rows: any[] = await ds.query(`SELECT type, data FROM case_event WHERE task_id = $1 ORDER BY seq`, [t.taskId]);
    return rows.length >= 6 ? rows : null;
  });
  expect(types.map((e) => e.type)).toEqual(['task_opened', 'task_nudged', 'task_escalated', 'task_due_extended', 'task_reminded', 'task_escalated']);
  expect(types[4].data.dueDate).toBe(newDue);
  expect(types[5].data.manual).toBeUndefined();

  // the new handlers are deterministic: the recorded history replays on the same code
  const history = await h.fetchHistory();
  await h.terminate('test done');
  await Worker.runReplayHistory({ workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! } }, history, caseWorkflowId(caseId));
});
