/**
 * The cataract workflow on the time-skipping test server, with the real activities on Postgres
 * and Redis: every path of the human-task primitive (approve, reject, return, reassign,
 * four-eyes, reminder, escalation, holiday-aware due dates, follow-up overdue).
 */
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createActivities } from '../../activities';
import { CalendarSource } from '../../activities/calendar';
import { shanghaiDateTime, WorkingDayCalendar } from '../../src/domain/calendar/working-days';
import { createDataSource } from '../../src/database/data-source';
import { NOTIFICATION_QUEUE } from '../../src/queues/redis';
import { Actor, caseViewQuery, CaseView, caseWorkflowId, taskActionUpdate, TaskActionInput } from '../../workflows/contracts';
import type { CataractCaseInput } from '../../workflows/contracts/cataract';
import { CATARACT_DEFAULTS } from '../../workflows/programs/cataract/steps';
import { createHospital, createPerson, createStaff, createTree, Tree } from '../setup/fixtures';
import { registerCaseSearchAttributes } from '../setup/search-attributes';
import { requireDatabase, testServerExecutable } from '../setup/services';

const TQ = 'cataract-test';
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let ds: DataSource;
let queue: Queue;
let tree: Tree;
let hospitalId: string;
const actors: Record<string, Actor> = {};

function actor(u: { id: string; name: string; role: string; partnerId?: string | null }, path: string): Actor {
  return { id: u.id, name: u.name, role: u.role, orgPath: path, partnerId: u.partnerId ?? null };
}

beforeAll(async () => {
  const { databaseUrl, redisUrl } = requireDatabase();
  ds = createDataSource(databaseUrl, 4);
  await ds.initialize();
  // A queue of this suite's own, with no processor: every notification job the workflows enqueue
  // stays in it, so the tests can read exactly who was reminded and who an escalation reached.
  queue = new Queue(`${NOTIFICATION_QUEUE}-wftest-${randomUUID().slice(0, 8)}`, { connection: { url: redisUrl } });
  tree = await createTree(ds);
  hospitalId = (await createHospital(ds, tree.county.code)).id;
  const mk = async (key: string, role: string, unit: { code: string; path: string }, partnerId?: string) => {
    const u = await createStaff(ds, { role, orgUnitCode: unit.code, partnerId, name: key });
    actors[key] = actor({ ...u, name: key }, unit.path);
  };
  await mk('villager', 'village_caseworker', tree.villageA1);
  await mk('township1', 'township_officer', tree.townshipA);
  await mk('township2', 'township_officer', tree.townshipA);
  await mk('townshipB', 'township_officer', tree.townshipB);
  await mk('county1', 'county_officer', tree.county);
  await mk('manager', 'manager', tree.county);
  await mk('managerB', 'manager', tree.townshipB); // a manager, but not over village A1's cases
  await mk('county2', 'county_officer', tree.county);
  await mk('doctor', 'partner_staff', tree.county, hospitalId);

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
  await queue?.obliterate({ force: true }).catch(() => undefined);
  await queue?.close();
  await ds?.destroy();
});

function input(personId: string, screeningStart: string, settings = CATARACT_DEFAULTS): CataractCaseInput {
  const caseId = randomUUID();
  return {
    caseId,
    caseNo: `T-${caseId.slice(0, 8)}`,
    personId,
    orgUnitCode: tree.villageA1.code,
    orgPath: tree.villageA1.path,
    campaign: { id: randomUUID(), name: '测试光明行', registrationEnd: screeningStart, screeningStart },
    settings,
    openedBy: { id: actors.villager.id, name: 'villager', role: 'village_caseworker' },
    priority: 0,
  };
}

async function start(screeningStart = '2020-01-01', settings = CATARACT_DEFAULTS) {
  const p = await createPerson(ds, tree.villageA1.code, tree.villageA1.path);
  const inp = input(p.id, screeningStart, settings);
  const handle = await env.client.workflow.start('cataractCaseWorkflow', { args: [inp], taskQueue: TQ, workflowId: caseWorkflowId(inp.caseId) });
  return { handle, caseId: inp.caseId, personId: p.id };
}

type Handle = Awaited<ReturnType<typeof start>>['handle'];

async function openTask(h: Handle, step: string) {
  for (let i = 0; i < 50; i++) {
    const v: CaseView = await h.query(caseViewQuery);
    const t = v.openTasks.find((x) => x.step === step);
    if (t) return t;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no open task ${step}`);
}

async function act(h: Handle, step: string, who: Actor, action: TaskActionInput['action'], extra: Partial<TaskActionInput> = {}) {
  const t = await openTask(h, step);
  return h.executeUpdate(taskActionUpdate, { args: [{ taskId: t.taskId, action, actor: who, ...extra }] });
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err: any) {
    return err?.cause?.type ?? err?.type ?? String(err);
  }
  throw new Error('expected a refusal');
}

async function toApprovals(h: Handle) {
  await act(h, 'screening', actors.township1, 'submit', { data: { suitable: true, eye: 'left', uncorrectedAcuity: 0.1 } });
  await act(h, 'hospital_choice', actors.villager, 'submit', { data: { partnerId: hospitalId } });
  await act(h, 'pre_op_check', actors.doctor, 'submit', { data: { fit: true, eye: 'left' } });
}

test('approve path to archive with indicators, timeline in Postgres', async () => {
  const { handle: h, caseId } = await start();
  await toApprovals(h);
  await act(h, 'township_verify', actors.township1, 'approve');
  await act(h, 'county_approval', actors.county1, 'approve');
  await act(h, 'surgery', actors.doctor, 'submit', { data: { surgeryDate: '2020-01-20', eye: 'left', lensImplanted: true } });
  await act(h, 'settlement', actors.county1, 'submit', { data: { amount: 1800 } });
  for (const step of ['followup_day1', 'followup_phone', 'followup_2w', 'followup_3m']) {
    await act(h, step, actors.doctor, 'submit', { data: { reached: true, uncorrectedAcuity: 0.4, correctedAcuity: 0.6 } });
  }
  await act(h, 'confirmation', actors.township1, 'submit', { data: { confirmed: true } });
  expect(await h.result()).toEqual({ outcome: 'completed' });
  await record(h, 'completed');

  const [row] = await ds.query(`SELECT status, outcome, step, data FROM case_file WHERE id = $1`, [caseId]);
  expect(row.status).toBe('closed');
  expect(row.outcome).toBe('completed');
  expect(row.data.indicators).toEqual({ uncorrected03At2w: true, corrected03At2w: true, lensImplanted: true, outOfBlindness: true, outOfDisability: true });
  const events = await ds.query(`SELECT seq, type FROM case_event WHERE case_id = $1 ORDER BY seq`, [caseId]);
  expect(events[0].type).toBe('case_opened');
  expect(events.at(-1).type).toBe('case_closed');
  const seqs = events.map((e: any) => e.seq);
  expect(new Set(seqs).size).toBe(seqs.length);
  const open = await ds.query(`SELECT count(*)::int AS n FROM task WHERE case_id = $1 AND status = 'open'`, [caseId]);
  expect(open[0].n).toBe(0);
});

test('the case keeps its Temporal search attributes (codes and dates only) in step with step, due date and waiting-on', async () => {
  const { handle: h, personId } = await start();
  const codes = [tree.city.code, tree.county.code, tree.townshipA.code, tree.villageA1.code];
  const t = await openTask(h, 'screening');
  const attrs = async () => (await h.describe()).searchAttributes as Record<string, unknown[]>;
  const { TemporalChangeVersion: _patches, ...atScreening } = await attrs();
  expect(atScreening).toEqual({
    CaseProgram: ['cataract'], CaseOrgPath: codes, CaseStep: ['screening'], CaseDueAt: [new Date(t.dueAt)], CaseWaitingOn: ['staff'],
  });
  expect(JSON.stringify(await attrs())).not.toContain(personId);
  await act(h, 'screening', actors.township1, 'submit', { data: { suitable: true, eye: 'left', uncorrectedAcuity: 0.1 } });
  const v: CaseView = await h.query(caseViewQuery);
  const { TemporalChangeVersion: _p2, ...next } = await attrs();
  expect(next).toEqual({
    CaseProgram: ['cataract'], CaseOrgPath: codes, CaseStep: [v.step], CaseWaitingOn: [v.waitingOn],
    ...(v.openTasks.length ? { CaseDueAt: [new Date(Math.min(...v.openTasks.map((x) => Date.parse(x.dueAt))))] } : {}),
  });
  expect(v.step).not.toBe('screening');
  await record(h, 'search-attributes'); // an open case that took the patch (replays with the upserts)
  await h.terminate('test over');
});

test('reject needs a reason and closes the case', async () => {
  const { handle: h, caseId } = await start();
  await toApprovals(h);
  expect(await refusal(act(h, 'township_verify', actors.township1, 'reject'))).toBe('INVALID_DECISION');
  await act(h, 'township_verify', actors.township1, 'reject', { reason: '户籍不符' });
  expect(await h.result()).toEqual({ outcome: 'rejected' });
  await record(h, 'rejected');
  const [ev] = await ds.query(`SELECT reason FROM case_event WHERE case_id = $1 AND type = 'case_closed'`, [caseId]);
  expect(ev.reason).toBe('户籍不符');
});

test('contraindicated at pre-op: needs the contraindication, closes the case before any approval', async () => {
  const { handle: h, caseId } = await start();
  await act(h, 'screening', actors.township1, 'submit', { data: { suitable: true, eye: 'left', uncorrectedAcuity: 0.1 } });
  await act(h, 'hospital_choice', actors.villager, 'submit', { data: { partnerId: hospitalId } });
  // not fit without saying why is refused, and nothing of it is recorded
  expect(await refusal(act(h, 'pre_op_check', actors.doctor, 'submit', { data: { fit: false } }))).toBe('INVALID_DECISION');
  const pre = await openTask(h, 'pre_op_check');
  expect((await eventsOf(pre.taskId)).map((e) => e.type)).toEqual(['task_opened']);
  await act(h, 'pre_op_check', actors.doctor, 'submit', { data: { fit: false, reason: '眼压过高 / uncontrolled glaucoma' } });
  expect(await h.result()).toEqual({ outcome: 'contraindicated' });
  await record(h, 'contraindicated');

  const [row] = await ds.query(`SELECT status, outcome, data FROM case_file WHERE id = $1`, [caseId]);
  expect(row.status).toBe('closed');
  expect(row.outcome).toBe('contraindicated');
  expect(row.data.preOp).toMatchObject({ fit: false, reason: '眼压过高 / uncontrolled glaucoma' });
  const [closed] = await ds.query(`SELECT reason FROM case_event WHERE case_id = $1 AND type = 'case_closed'`, [caseId]);
  expect(closed.reason).toBe('眼压过高 / uncontrolled glaucoma');
  // the approvals and the surgery never opened; no task is left open
  const steps = (await ds.query(`SELECT step, status FROM task WHERE case_id = $1 ORDER BY created_at`, [caseId])).map((t: any) => `${t.step}:${t.status}`);
  expect(steps).toEqual(['screening:completed', 'hospital_choice:completed', 'pre_op_check:completed']);
});

test('return goes back to the previous actor with the note, then re-approval', async () => {
  const { handle: h } = await start();
  await toApprovals(h);
  await act(h, 'township_verify', actors.township1, 'return', { reason: '请补充低保证明' });
  const sup = await openTask(h, 'township_verify_supplement');
  expect(sup.assigneeUserId).toBe(actors.doctor.id); // the hospital did the previous step (pre-op)
  await act(h, 'township_verify_supplement', actors.doctor, 'submit', { data: { note: '已补充' } });
  const again = await openTask(h, 'township_verify');
  expect(again.status).toBe('open');
  await act(h, 'township_verify', actors.township1, 'approve');
  await openTask(h, 'county_approval');
  await record(h, 'returned');
  await h.terminate('test done');
});

test('claim hides from peers, reassign within scope, foreign and closed tasks refused', async () => {
  const { handle: h } = await start();
  await act(h, 'screening', actors.township1, 'claim');
  expect(await refusal(act(h, 'screening', actors.township2, 'submit', { data: { suitable: false, reason: 'x' } }))).toBe('TASK_CLAIMED');
  expect(await refusal(act(h, 'screening', actors.townshipB, 'claim'))).toBe('FOREIGN_TASK');
  expect(await refusal(act(h, 'screening', actors.county1, 'claim'))).toBe('FOREIGN_TASK');
  // reassign to someone outside the task's scope is refused; within scope works
  expect(await refusal(act(h, 'screening', actors.manager, 'reassign', { toUser: actors.townshipB }))).toBe('INVALID_DECISION');
  const v = await act(h, 'screening', actors.manager, 'reassign', { toUser: actors.township2 });
  expect(v.openTasks.find((t) => t.step === 'screening')!.assigneeUserId).toBe(actors.township2.id);
  const t = await openTask(h, 'screening');
  await h.executeUpdate(taskActionUpdate, { args: [{ taskId: t.taskId, action: 'submit', actor: actors.township2, data: { suitable: false, reason: '非白内障' } }] });
  expect(await h.result()).toEqual({ outcome: 'not_suitable' });
  await record(h, 'reassigned-not-suitable');
});

test('four-eyes: one person may not approve two tiers', async () => {
  const { handle: h } = await start();
  await toApprovals(h);
  // a county officer account that also acts as township officer is impossible by role, so give the
  // same person id both roles to prove the rule itself
  const dual: Actor = { ...actors.county1, id: actors.township1.id };
  await act(h, 'township_verify', actors.township1, 'approve');
  expect(await refusal(act(h, 'county_approval', dual, 'approve'))).toBe('FOUR_EYES');
  await act(h, 'county_approval', actors.county1, 'approve');
  await openTask(h, 'surgery');
  await record(h, 'four-eyes');
  await h.terminate('test done');
});

test('reminder at 09:00 one working day before due, escalation after due to the next level and the managers over the case', async () => {
  const { handle: h } = await start();
  const t = await openTask(h, 'screening');
  // 10 working days: remind at 09:00 (Asia/Shanghai) on the working day before the due day,
  // escalate at the end of the due day. The working day before is found here by walking back
  // over the same calendar data the activity reads (bundled dataset + admin table).
  const remindAt = shanghaiDateTime(await workingDayBefore(t.dueDate, 1), 9, 0).getTime();
  expect(remindAt).toBeLessThan(Date.parse(t.dueAt));

  await env.sleep(remindAt - (await env.currentTimeMs()) - 60_000); // one minute before: nothing yet
  await h.query(caseViewQuery);
  await new Promise((r) => setTimeout(r, 500));
  expect(await eventsOf(t.taskId)).toEqual([expect.objectContaining({ type: 'task_opened' })]);
  expect(await jobsFor(t.taskId, 'remind:')).toEqual([]);

  await env.sleep(120_000); // one minute after: exactly one reminder, at the instant
  const reminded = await waitFor(async () => {
    const ev = (await eventsOf(t.taskId)).filter((e) => e.type === 'task_reminded');
    return ev.length ? ev : null;
  });
  expect(reminded).toHaveLength(1);
  expect(reminded[0].at).toBeGreaterThanOrEqual(remindAt);
  expect(reminded[0].at).toBeLessThan(remindAt + 60_000);
  // the reminder goes to the assignees (both township officers of the case's township), no one else
  expect(await jobsSettled(t.taskId, 'remind:', 2)).toEqual(
    [actors.township1, actors.township2].map((a) => ({ key: `remind:${t.taskId}:0:${a.id}`, userId: a.id, type: 'task_due_soon' })).sort(byKey),
  );

  await env.sleep(Date.parse(t.dueAt) - (await env.currentTimeMs()) + 60_000);
  const v = await h.query(caseViewQuery);
  expect(v.openTasks.find((x) => x.taskId === t.taskId)!.overdue).toBe(true);
  const ev = await waitFor(async () => {
    const rows = await eventsOf(t.taskId);
    return rows.some((r) => r.type === 'task_escalated') ? rows : null;
  });
  expect(ev.map((e) => e.type)).toEqual(['task_opened', 'task_reminded', 'task_escalated']);
  expect(ev[2].at).toBeGreaterThanOrEqual(Date.parse(t.dueAt));
  expect(ev[2].data.to).toEqual(['county_officer', 'manager']);
  const [row] = await ds.query(`SELECT overdue, reminded_at, escalated_at FROM task WHERE id = $1`, [t.taskId]);
  expect(row.overdue).toBe(true);
  expect(new Date(row.reminded_at).getTime()).toBe(reminded[0].at);
  // who is told: the assignees that it is overdue; the next level (the county officers of the
  // case's county, not the township officers of another township) and the managers over the
  // case (the county manager, not a manager of township B) that it was escalated
  expect(await jobsSettled(t.taskId, 'escalated:', 3)).toEqual(
    [actors.county1, actors.county2, actors.manager].map((a) => ({ key: `escalated:${t.taskId}:${a.id}`, userId: a.id, type: 'task_escalated' })).sort(byKey),
  );
  expect(await jobsSettled(t.taskId, 'overdue:', 2)).toEqual(
    [actors.township1, actors.township2].map((a) => ({ key: `overdue:${t.taskId}:${a.id}`, userId: a.id, type: 'task_overdue' })).sort(byKey),
  );
  await record(h, 'escalated');
  await h.terminate('test done');
});

test('a settings version with remindBefore [2, 1] reminds twice: 09:00 two working days and one working day before due', async () => {
  const settings = {
    ...CATARACT_DEFAULTS,
    version: 'cataract@test-remind-2-1',
    steps: { ...CATARACT_DEFAULTS.steps, screening: { workingDays: 10, remindBefore: [2, 1] } },
  };
  const { handle: h } = await start('2020-01-01', settings);
  const t = await openTask(h, 'screening');
  const first = shanghaiDateTime(await workingDayBefore(t.dueDate, 2), 9, 0).getTime();
  const second = shanghaiDateTime(await workingDayBefore(t.dueDate, 1), 9, 0).getTime();
  expect(first).toBeLessThan(second);

  await env.sleep(first - (await env.currentTimeMs()) + 60_000);
  const one = await waitFor(async () => {
    const ev = (await eventsOf(t.taskId)).filter((e) => e.type === 'task_reminded');
    return ev.length ? ev : null;
  });
  expect(one).toHaveLength(1);
  expect(one[0].at).toBeGreaterThanOrEqual(first);
  expect(one[0].at).toBeLessThan(first + 60_000);

  await env.sleep(second - (await env.currentTimeMs()) + 60_000);
  const two = await waitFor(async () => {
    const ev = (await eventsOf(t.taskId)).filter((e) => e.type === 'task_reminded');
    return ev.length >= 2 ? ev : null;
  });
  expect(two).toHaveLength(2);
  expect(two[1].at).toBeGreaterThanOrEqual(second);
  expect(two[1].at).toBeLessThan(second + 60_000);
  expect((await eventsOf(t.taskId)).map((e) => e.type)).toEqual(['task_opened', 'task_reminded', 'task_reminded']); // not escalated yet
  const keys = (await jobsSettled(t.taskId, 'remind:', 4)).map((j) => j.key);
  expect(keys).toEqual(
    [0, 1].flatMap((i) => [actors.township1, actors.township2].map((a) => `remind:${t.taskId}:${i}:${a.id}`)).sort(),
  );
  const [c] = await ds.query(`SELECT rule_version FROM case_file WHERE id = $1`, [(await h.query(caseViewQuery)).caseId]);
  expect(c.rule_version).toBe('cataract@test-remind-2-1');
  await h.terminate('test done');
});

/** With RECORD_HISTORIES=1 (npm run record:histories) the finished histories are saved for the replay gate. */
test('a paper application received 12 working days before it was typed in: screening counts from the receipt date, is overdue and escalated at once; the next step counts from its opening', async () => {
  const cal = await new CalendarSource(ds, 0).get();
  const today = await serverDay(0);
  const received = cal.subtractWorkingDays(today, 12);
  const receivedAt = new Date(`${received}T00:00:00+08:00`).toISOString();
  const p = await createPerson(ds, tree.villageA1.code, tree.villageA1.path);
  const inp: CataractCaseInput = { ...input(p.id, '2020-01-01'), receivedAt };
  const h = await env.client.workflow.start('cataractCaseWorkflow', { args: [inp], taskQueue: TQ, workflowId: caseWorkflowId(inp.caseId) });

  const t = await openTask(h, 'screening');
  expect(t.clockStartAt).toBe(receivedAt);
  expect(Date.parse(t.createdAt)).toBeGreaterThan(Date.parse(receivedAt)); // created_at stays the truth
  expect(t.dueDate).toBe(cal.addWorkingDays(received, 10)); // 10 working days from the receipt: 2 days ago
  // Due before it was typed in: escalated at once, no "due soon" reminder for a day already past.
  const ev = await waitFor(async () => {
    const rows = await eventsOf(t.taskId);
    return rows.some((r) => r.type === 'task_escalated') ? rows : null;
  });
  expect(ev.map((e) => e.type)).toEqual(['task_opened', 'task_escalated']);
  expect(ev[0].data.receivedAt).toBe(receivedAt);
  const [row] = await ds.query(`SELECT clock_start_at, created_at, overdue FROM task WHERE id = $1`, [t.taskId]);
  expect(new Date(row.clock_start_at).toISOString()).toBe(receivedAt);
  expect(new Date(row.created_at).toISOString()).toBe(t.createdAt);
  expect(row.overdue).toBe(true);
  expect(await jobsFor(t.taskId, 'remind:')).toEqual([]);

  // Only the first step: the hospital choice counts its 5 working days from the day it opens.
  await act(h, 'screening', actors.township1, 'submit', { data: { suitable: true, eye: 'left', uncorrectedAcuity: 0.1 } });
  const next = await openTask(h, 'hospital_choice');
  expect(next.clockStartAt ?? null).toBeNull();
  expect(next.dueDate).toBe(cal.addWorkingDays(await serverDay(0), 5));
  const [nrow] = await ds.query(`SELECT clock_start_at FROM task WHERE id = $1`, [next.taskId]);
  expect(nrow.clock_start_at).toBeNull();
  await record(h, 'received-at');
  await h.terminate('test done');
});

async function record(h: Handle, name: string) {
  if (!process.env.RECORD_HISTORIES) return;
  const history = await h.fetchHistory();
  writeFileSync(join(__dirname, '..', 'replay', 'histories', `cataract-${name}.json`), historyToJSON(history));
}

/** The working day `n` working days before `day`, walking back one calendar day at a time. */
async function workingDayBefore(day: string, n: number): Promise<string> {
  const cal = await new CalendarSource(ds, 0).get();
  let d = day;
  for (let left = n; left > 0; ) {
    d = new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    if (cal.isWorkingDay(d)) left--;
  }
  return d;
}

/** Timeline events of a task in Postgres (`at` in ms). */
async function eventsOf(taskId: string): Promise<{ type: string; at: number; data: any }[]> {
  const rows: any[] = await ds.query(`SELECT type, at, data FROM case_event WHERE task_id = $1 ORDER BY seq`, [taskId]);
  return rows.map((r) => ({ type: r.type, at: new Date(r.at).getTime(), data: r.data }));
}

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Notification jobs (one per recipient) the workflow enqueued for a task, whose key starts with `prefix`. */
async function jobsFor(taskId: string, prefix: string) {
  const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed']);
  return jobs
    .filter((j) => j?.data?.taskId === taskId && String(j.data.key).startsWith(prefix))
    .map((j) => ({ key: j.data.key as string, ...(j.data.userId ? { userId: j.data.userId } : { personId: j.data.personId }), type: j.data.type as string }))
    .sort(byKey);
}

/** The jobs once at least `n` are there (and a moment later, so that a surplus would show). */
async function jobsSettled(taskId: string, prefix: string, n: number) {
  await waitFor(async () => ((await jobsFor(taskId, prefix)).length >= n ? true : null));
  await new Promise((r) => setTimeout(r, 300));
  return jobsFor(taskId, prefix);
}

async function waitFor<T>(fn: () => Promise<T | null>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a due date across the National Day holiday counts the make-up Saturday (admin-entered schedule)', async () => {
  // Next year's schedule is not in the bundled dataset yet: enter it as an admin would from the
  // State Council notice (1–7 Oct off, the first Saturday after is a make-up workday).
  const y = new Date(await env.currentTimeMs()).getUTCFullYear() + 1; // the test server's clock moves as tests skip time
  const holidays = [1, 2, 3, 4, 5, 6, 7].map((d) => `${y}-10-0${d}`);
  let sat = 8;
  while (new Date(Date.UTC(y, 9, sat)).getUTCDay() !== 6) sat++;
  const makeup = `${y}-10-${String(sat).padStart(2, '0')}`;
  const overrides = [...holidays.map((date) => ({ date, kind: 'holiday' as const })), { date: makeup, kind: 'workday' as const }];
  try {
    for (const o of overrides) await ds.query(`INSERT INTO calendar_override (date, kind, name) VALUES ($1,$2,'国庆节')`, [o.date, o.kind]);
    await ds.query(`INSERT INTO calendar_year (year, source) VALUES ($1, 'test')`, [y]);
    // a worker whose calendar cache is fresh (the suite's worker may have cached the table already)
    const w = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: `${TQ}-holiday`,
      workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! },
      activities: createActivities({ ds, notifications: queue }),
    });
    await w.runUntil(async () => {
      const p = await createPerson(ds, tree.villageA1.code, tree.villageA1.path);
      const inp = input(p.id, `${y}-09-28`);
      const h = await env.client.workflow.start('cataractCaseWorkflow', { args: [inp], taskQueue: `${TQ}-holiday`, workflowId: caseWorkflowId(inp.caseId) });
      await env.sleep(Date.parse(`${y}-09-28T00:00:00+08:00`) - (await env.currentTimeMs()) + 1000);
      const t = await openTask(h, 'screening');
      const cal = new WorkingDayCalendar({ overrides, overrideYears: [y] });
      const withoutMakeup = new WorkingDayCalendar({ overrides: overrides.filter((o) => o.kind === 'holiday'), overrideYears: [y] });
      expect(t.dueDate).toBe(cal.addWorkingDays(`${y}-09-28`, 10));
      expect(t.dueDate > makeup).toBe(true);
      expect(cal.workingDaysBetween(`${y}-09-28`, t.dueDate)).toBe(10);
      expect(withoutMakeup.addWorkingDays(`${y}-09-28`, 10) > t.dueDate).toBe(true); // the Saturday counted
      await record(h, 'holiday-due');
      await h.terminate('test done');
    });
  } finally {
    await ds.query(`DELETE FROM calendar_override WHERE date = ANY($1)`, [overrides.map((o) => o.date)]);
    await ds.query(`DELETE FROM calendar_year WHERE year = $1`, [y]);
  }
});

test('a follow-up visit not recorded by its due date goes overdue and is escalated', async () => {
  const { handle: h } = await start();
  await toApprovals(h);
  await act(h, 'township_verify', actors.township1, 'approve');
  await act(h, 'county_approval', actors.county1, 'approve');
  const today = new Date((await env.currentTimeMs()) + 8 * 3_600_000).toISOString().slice(0, 10);
  await act(h, 'surgery', actors.doctor, 'submit', { data: { surgeryDate: today, eye: 'left', lensImplanted: true } });
  const day1 = await openTask(h, 'followup_day1');
  expect(day1.kind).toBe('followup');
  expect(day1.overdue).toBe(false);
  await env.sleep(Date.parse(day1.dueAt) - (await env.currentTimeMs()) + 60_000);
  const v = await h.query(caseViewQuery);
  expect(v.openTasks.find((x) => x.taskId === day1.taskId)!.overdue).toBe(true);
  expect(v.openTasks.find((x) => x.step === 'followup_3m')!.overdue).toBe(false);
  const types = await waitFor(async () => {
    const rows = await ds.query(`SELECT type FROM case_event WHERE task_id = $1 ORDER BY seq`, [day1.taskId]);
    return rows.some((r: any) => r.type === 'task_escalated') ? rows.map((r: any) => r.type) : null;
  });
  expect(types).toEqual(['task_opened', 'task_escalated']);
  // a hospital's task escalates to the county officers and the managers over the case; the
  // hospital's staff are told it is overdue
  expect(await jobsSettled(day1.taskId, 'escalated:', 3)).toEqual(
    [actors.county1, actors.county2, actors.manager].map((a) => ({ key: `escalated:${day1.taskId}:${a.id}`, userId: a.id, type: 'task_escalated' })).sort(byKey),
  );
  expect(await jobsSettled(day1.taskId, 'overdue:', 1)).toEqual([{ key: `overdue:${day1.taskId}:${actors.doctor.id}`, userId: actors.doctor.id, type: 'task_overdue' }]);
  // the visit can still be recorded late
  await act(h, 'followup_day1', actors.doctor, 'submit', { data: { reached: true, uncorrectedAcuity: 0.2 } });
  await record(h, 'followup-overdue');
  await h.terminate('test done');
});

/** Shanghai calendar day of the test server's clock, plus n days. */
async function serverDay(n = 0): Promise<string> {
  return new Date((await env.currentTimeMs()) + 8 * 3_600_000 + n * 86_400_000).toISOString().slice(0, 10);
}

async function toPostOp(h: Handle, surgeryDate: string) {
  await toApprovals(h);
  await act(h, 'township_verify', actors.township1, 'approve');
  await act(h, 'county_approval', actors.county1, 'approve');
  await act(h, 'surgery', actors.doctor, 'submit', { data: { surgeryDate, eye: 'left', lensImplanted: true } });
}

test('a follow-up visit reminds the hospital and the resident at 09:00 the day before it is due; a recorded one never reminds', async () => {
  const { handle: h, personId } = await start();
  const day0 = await serverDay();
  await toPostOp(h, day0);
  const v2w = await openTask(h, 'followup_2w');
  const v3m = await openTask(h, 'followup_3m');
  const day14 = new Date(Date.parse(`${day0}T00:00:00Z`) + 14 * 86_400_000).toISOString().slice(0, 10);
  expect(v2w.dueDate).toBe(day14);
  const remindAt = Date.parse(`${day14}T09:00:00+08:00`) - 86_400_000; // 09:00 on day 13 (calendar days)

  // the 3-month visit is recorded right away (an early visit counts): its timers must not fire
  await act(h, 'followup_3m', actors.doctor, 'submit', { data: { reached: true, uncorrectedAcuity: 0.5 } });

  await env.sleep(remindAt - (await env.currentTimeMs()) - 60_000);
  await h.query(caseViewQuery);
  await new Promise((r) => setTimeout(r, 500));
  expect((await eventsOf(v2w.taskId)).map((e) => e.type)).toEqual(['task_opened']);

  await env.sleep(120_000);
  const reminded = await waitFor(async () => {
    const ev = (await eventsOf(v2w.taskId)).filter((e) => e.type === 'task_reminded');
    return ev.length ? ev : null;
  });
  expect(reminded).toHaveLength(1);
  expect(reminded[0].at).toBeGreaterThanOrEqual(remindAt);
  expect(reminded[0].at).toBeLessThan(remindAt + 60_000);
  // staff of the hospital get "follow-up due", the resident a visit reminder (SMS if consented)
  expect(await jobsSettled(v2w.taskId, 'remind:', 2)).toEqual(
    [
      { key: `remind:${v2w.taskId}:0:${actors.doctor.id}`, userId: actors.doctor.id, type: 'followup_due' },
      { key: `remind:${v2w.taskId}:0:p:${personId}`, personId, type: 'visit_reminder' },
    ].sort(byKey),
  );

  // past the 3-month visit's due date: the recorded visit neither reminded nor escalated
  await env.sleep(Date.parse(v3m.dueAt) - (await env.currentTimeMs()) + 3_600_000);
  await h.query(caseViewQuery);
  await waitFor(async () => ((await eventsOf(v2w.taskId)).some((e) => e.type === 'task_escalated') ? true : null)); // the open 2-week visit did
  expect((await eventsOf(v3m.taskId)).map((e) => e.type)).toEqual(['task_opened', 'task_submitted']);
  expect(await jobsFor(v3m.taskId, 'remind:')).toEqual([]);
  expect(await jobsFor(v3m.taskId, 'escalated:')).toEqual([]);
  expect(await jobsFor(v3m.taskId, 'overdue:')).toEqual([]);
  await h.terminate('test done');
});

test('a late registrant waits for the next campaign: no task until its screening day, then screening opens', async () => {
  const screeningStart = await serverDay(20);
  const { handle: h, caseId } = await start(screeningStart);
  const opening = Date.parse(`${screeningStart}T00:00:00+08:00`);
  const waiting = await waitFor(async () => {
    const v: CaseView = await h.query(caseViewQuery);
    return v.step === 'awaiting_campaign' ? v : null;
  });
  expect(waiting.waitingOn).toBe('timer');
  expect(waiting.openTasks).toEqual([]);
  const [ev] = await waitFor(async () => {
    const rows = await ds.query(`SELECT data FROM case_event WHERE case_id = $1 AND type = 'waiting_for_campaign'`, [caseId]);
    return rows.length ? rows : null;
  });
  expect(ev.data).toEqual({ screeningStart });

  await env.sleep(opening - (await env.currentTimeMs()) - 3_600_000); // the evening before
  expect((await h.query(caseViewQuery)).openTasks).toEqual([]);
  await env.sleep(2 * 3_600_000);
  const t = await openTask(h, 'screening');
  expect(Date.parse(t.createdAt)).toBeGreaterThanOrEqual(opening);
  expect(Date.parse(t.createdAt)).toBeLessThan(opening + 3_600_000);
  await h.terminate('test done');
});

async function refusalOf(p: Promise<unknown>): Promise<{ type: string; message: string }> {
  try {
    await p;
  } catch (err: any) {
    return { type: err?.cause?.type ?? err?.type ?? String(err), message: err?.cause?.message ?? err?.message ?? '' };
  }
  throw new Error('expected a refusal');
}

test('the phone follow-up is due on day 5 and refuses an outcome dated before day 3', async () => {
  const { handle: h } = await start();
  const day0 = await serverDay();
  await toPostOp(h, day0);
  const phone = await openTask(h, 'followup_phone');
  const day = (n: number) => new Date(Date.parse(`${day0}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  expect(phone.dueDate).toBe(day(5));
  expect(phone.dueAt).toBe(new Date(Date.parse(`${day(5)}T23:59:59.999+08:00`)).toISOString());

  const outcome = { reached: true, uncorrectedAcuity: 0.3 };
  const today = await refusalOf(act(h, 'followup_phone', actors.doctor, 'submit', { data: outcome }));
  expect(today.type).toBe('INVALID_DECISION');
  expect(today.message).toContain(`${day(3)} 至 ${day(5)}`);
  expect(today.message).toMatch(/too early/);

  await env.sleep(Date.parse(`${day(3)}T10:00:00+08:00`) - (await env.currentTimeMs())); // day 3, 10:00
  const early = await refusalOf(act(h, 'followup_phone', actors.doctor, 'submit', { data: { ...outcome, contactedOn: day(2) } }));
  expect(early.type).toBe('INVALID_DECISION');
  expect(early.message).toContain(`${day(2)} is too early`);
  const future = await refusalOf(act(h, 'followup_phone', actors.doctor, 'submit', { data: { ...outcome, contactedOn: day(4) } }));
  expect(future.message).toMatch(/cannot be after today/);
  // nothing of the refusals was recorded
  expect((await eventsOf(phone.taskId)).map((e) => e.type)).toEqual(['task_opened']);
  // a visit without a window is not restricted, and the phone call on day 3 counts
  await act(h, 'followup_day1', actors.doctor, 'submit', { data: outcome });
  const v = await act(h, 'followup_phone', actors.doctor, 'submit', { data: { ...outcome, contactedOn: day(3) } });
  expect(v.openTasks.map((t) => t.step)).not.toContain('followup_phone');
  expect((v.data as any).followup_phone).toMatchObject({ contactedOn: day(3) });
  await record(h, 'phone-window');
  await h.terminate('test done');
});
