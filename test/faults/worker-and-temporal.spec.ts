/**
 * Fault injection on a private stack (see fault-stack.ts), part 1: the processes that run cases.
 *  - the worker is SIGKILLed while cases are in their first activities, restarted, and killed again
 *    while decisions (Updates) are in flight: every case finishes, no timeline event or
 *    notification is lost or doubled;
 *  - the Temporal dev server is stopped and restarted on its persisted sqlite database: open tasks
 *    are still open and decisions after the restart complete them; a case's own timer (a child in
 *    rehabilitation on a county's compressed calendar: the month ends 45 s after intake, after the restart; its
 *    progress record then opens) fires after the restart, not early, exactly once; a bare fixture
 *    timer that fell due while the server was down fires.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { dataConverterFor } from '../../src/temporal/payload-codec';
import { caseViewQuery, CaseView } from '../../workflows/contracts';
import { createPerson, shanghaiDay } from '../setup/fixtures';
import { FaultStack, root, sleep, until } from './fault-stack';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bundleWorkflows } = require('../../scripts/lib/workflow-bundle.cjs');

jest.setTimeout(240_000);
const fs = new FaultStack('procs');

beforeAll(async () => {
  await fs.start();
}, 180_000);

afterAll(async () => {
  await fs.close();
}, 120_000);

test('worker SIGKILLed in the middle of case activities (twice): cases finish, no duplicate or missing events and notifications', () =>
  fs.withLogs(async () => {
    const N = 4;
    const caseIds = await Promise.all(Array.from({ length: N }, () => fs.startCase()));
    // Kill as soon as the first projection of any case is in Postgres: the others are then between
    // computeDue, projectCase and enqueueNotifications (or have run them without reporting back).
    await until('first projection', async () => (await fs.ds.query(`SELECT count(*)::int AS n FROM task WHERE case_id = ANY($1)`, [caseIds]))[0].n > 0, 30_000, 10);
    await fs.killWorker();
    const projectedAtKill: number = (await fs.ds.query(`SELECT count(*)::int AS n FROM task WHERE case_id = ANY($1)`, [caseIds]))[0].n;
    await fs.startWorker();

    // A second kill while decisions are in flight: an Update accepted by the dead worker must still
    // complete exactly once on the new one (the HTTP caller sees 503 CASE_BUSY, then 409 TASK_CLOSED).
    let secondKill: Promise<void> = Promise.resolve();
    await Promise.all(caseIds.map((id, i) => fs.driveToEnd(id, async (step) => {
      if (i === 0 && step === 'township_verify') {
        secondKill = sleep(80).then(() => fs.killWorker()).then(() => fs.startWorker()).then(() => undefined);
      }
    })));
    await secondKill;

    const traces: Record<string, unknown> = {};
    const notes: Record<string, unknown> = {};
    for (const id of caseIds) {
      const c = await until(`case ${id} closed`, async () => {
        const row = await fs.caseRow(id);
        return row.status === 'closed' ? row : undefined;
      });
      expect(c.outcome).toBe('completed');
      expect(await fs.timelineProblems(id)).toEqual([]);
      const types: string[] = (await fs.ds.query(`SELECT type FROM case_event WHERE case_id = $1 ORDER BY seq`, [id])).map((r: any) => r.type);
      expect(types[0]).toBe('case_opened');
      expect(types.at(-1)).toBe('case_closed');
      expect(types.filter((t) => t === 'case_opened')).toHaveLength(1);

      // Notifications: every expected key handled exactly once (delivery is asynchronous: wait for it).
      const summary = await fs.waitNotifications(id);
      expect(summary.expected).toBeGreaterThan(15);
      notes[id] = summary;
      traces[id] = await fs.retryTraces(id);
    }
    // Evidence the kill landed mid-flight: lost activity attempts were retried, or workflow tasks timed out.
    const all = Object.values(traces) as { maxActivityAttempt: number; workflowTaskTimeouts: number }[];
    console.log(`worker kill: ${projectedAtKill}/${N} first tasks projected at the kill; traces ${JSON.stringify(traces)}; notifications ${JSON.stringify(notes)}`);
    expect(all.some((t) => t.maxActivityAttempt > 1 || t.workflowTaskTimeouts > 0)).toBe(true);
  }));

/** The compressed month of the child rehabilitation case in the Temporal restart test (seconds). */
const MONTH_S = 45;

/**
 * A child in rehabilitation training whose first month ends MONTH_S seconds after `t0` (the county
 * runs the programme on a compressed calendar from a programme_config version, nothing else is
 * shortened): applied, approved by the county, placed, intake recorded with one planned month.
 */
async function childInTraining() {
  const u = fs.users;
  const county = fs.tree.county.code;
  const inst = randomUUID();
  await fs.ds.query(
    `INSERT INTO partner (id, name, kind, org_unit_code, services, capacity, agreement_start, agreement_end, status)
     VALUES ($1,$2,'rehab_institution',$3,'{rehab_hearing}',10,'2020-01-01','2099-12-31','active')`,
    [inst, `听力康复中心${inst.slice(0, 4)}`, county],
  );
  await fs.ds.query(
    `INSERT INTO programme_config (programme, org_unit_code, effective_from, version, settings) VALUES ('child_rehab', $1, $2, $3, $4)`,
    [county, shanghaiDay(-1), `child_rehab@${county}@fault`, JSON.stringify({ steps: {}, rules: { compressedCalendar: { monthSeconds: MONTH_S, yearSeconds: 3600 } } })],
  );
  const staff = await fs.addUser('partner_staff', fs.tree.county, inst);
  const year = Number(shanghaiDay(0).slice(0, 4));
  const kid = await createPerson(fs.ds, fs.tree.villageA1.code, fs.tree.villageA1.path, { birth: `${year - 3}-07-07`, hardship: ['dibao'] });
  await fs.ds.query(`UPDATE person SET guardian_name = '刘丽华', guardian_relation = '母亲', guardian_phone = '13900000000' WHERE id = $1`, [kid.id]);
  const started = await u.villager.post('/cases', {
    programme: 'child_rehab', personId: kid.id,
    details: { category: 'hearing', diagnosis: { hospital: '省儿童医院', date: shanghaiDay(-30), category: 'hearing' }, institutionId: inst },
  });
  if (started.status !== 201) throw new Error(`POST /cases child_rehab: ${started.status} ${JSON.stringify(started.body)}`);
  const caseId: string = started.body.caseId;
  await fs.decide(u.county, caseId, 'county_review', { action: 'approve' });
  await fs.openTask(caseId, 'intake_assessment', 30_000);
  const t0 = Date.now(); // the month starts when the workflow handles the intake: not before this
  await fs.decide(staff, caseId, 'intake_assessment', { action: 'submit', data: { assessedOn: shanghaiDay(0), goals: ['声音察觉'], plannedMonths: 1 } });
  // the decision returns once the read model holds it: the intake is done, the month runs
  const intake = await fs.ds.query(`SELECT status FROM task WHERE case_id = $1 AND step = 'intake_assessment'`, [caseId]);
  expect(intake.map((t: any) => t.status)).toEqual(['completed']);
  return { caseId, staff, t0 };
}

test('Temporal dev server stopped and restarted on its database: open tasks stay open, decisions complete them, a case timer and a due timer fire', () =>
  fs.withLogs(async () => {
    // A timer workflow on its own queue, run by a worker in this process (the production worker runs workflows/index.ts only).
    const code: string = await bundleWorkflows(join(root, 'test', 'fixtures', 'faults', 'timer-workflow.ts'));
    const conn = await NativeConnection.connect({ address: fs.stack.env.TEMPORAL_ADDRESS });
    // The same payload codec as the client (and production): its input arrives encrypted.
    const timerWorker = await Worker.create({ connection: conn, taskQueue: 'fault-timer', workflowBundle: { code }, dataConverter: dataConverterFor(process.env.PII_ENCRYPTION_KEY) });
    const running = timerWorker.run();
    try {
      const u = fs.users;
      const caseA = await fs.startCase();
      const caseB = await fs.startCase();
      await fs.decide(u.township, caseA, 'screening', { action: 'submit', data: { suitable: true, eye: 'left', uncorrectedAcuity: 0.1 } });
      const hcA = await fs.openTask(caseA, 'hospital_choice');
      const scB = await fs.openTask(caseB, 'screening');
      const rehab = await childInTraining();
      const timer = await fs.temporal.workflow.start('faultTimerWorkflow', { taskQueue: 'fault-timer', workflowId: `timer-${Date.now()}`, args: [6000] });
      await until('timer started', async () => (await timer.describe()).historyLength >= 5, 20_000);

      await fs.stack.stopService('temporal');
      const downAt = Date.now();
      // While Temporal is down: /ready names it, reads from Postgres still work, a decision is refused (503), not lost.
      const ready = await fs.http('GET', '/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.down).toEqual(['temporal']);
      expect((await u.township.get(`/cases/${caseB}`)).status).toBe(200);
      const during = fs.http('POST', `/cases/${caseB}/tasks/${scB.id}/decision`, u.township.token, { action: 'submit', data: { suitable: true, eye: 'right', uncorrectedAcuity: 0.2 } }, 60_000);
      await sleep(Math.max(0, 10_000 - (Date.now() - downAt))); // the timer's due time passes during the outage
      // No month end yet: its progress record is not there.
      const progressRows = () => fs.ds.query(`SELECT id, created_at FROM task WHERE case_id = $1 AND step = 'progress'`, [rehab.caseId]);
      expect(await progressRows()).toEqual([]);
      await fs.stack.startService('temporal');
      const upAt = Date.now();
      const d = await during;
      console.log(`decision sent while Temporal was down: ${d.status} ${JSON.stringify(d.body)}`);
      expect([200, 503]).toContain(d.status);
      if (d.status === 503) expect(d.body.code).toMatch(/DEPENDENCY_UNAVAILABLE|CASE_BUSY/);

      // The timer that fell due during the outage fires once the server is back.
      const result = await timer.result();
      expect(result.sleptMs).toBeGreaterThanOrEqual(6000);

      // The open tasks survived (read model and workflow state agree), and decisions complete them.
      const viewA: CaseView = await fs.temporal.workflow.getHandle(`case-${caseA}`).query(caseViewQuery);
      expect(viewA.openTasks.map((t) => t.taskId)).toEqual([hcA.id]);
      if (d.status !== 200) await fs.decide(u.township, caseB, 'screening', { action: 'submit', data: { suitable: true, eye: 'right', uncorrectedAcuity: 0.2 } });
      await fs.openTask(caseB, 'hospital_choice', 30_000);
      await fs.decide(u.villager, caseA, 'hospital_choice', { action: 'submit', data: { partnerId: fs.hospital } });
      await fs.openTask(caseA, 'pre_op_check', 30_000);

      // The case's own timer: the month ends, the progress record opens in the read model, once,
      // not before the month's end, and its staff are told once.
      const monthEnd = rehab.t0 + MONTH_S * 1000;
      const [progress] = await until('progress record after the month end', async () => {
        const rows = await progressRows();
        return rows.length ? rows : undefined;
      }, 90_000);
      const openedAt = new Date(progress.created_at).getTime();
      console.log(`rehab month end ${new Date(monthEnd).toISOString()} (${((monthEnd - upAt) / 1000).toFixed(1)} s after Temporal was back); progress task opened ${new Date(openedAt).toISOString()}`);
      expect(openedAt).toBeGreaterThanOrEqual(monthEnd);
      expect(openedAt).toBeGreaterThanOrEqual(upAt); // it was still pending in the restarted server
      const assigned = `assigned:${progress.id}:${rehab.staff.id}`;
      await until('progress record notified', async () => (await fs.notificationCounts(rehab.caseId))[assigned] === 1, 30_000);
      await sleep(3000); // a duplicate timer firing or projection would show by now
      expect((await progressRows()).map((r: any) => r.id)).toEqual([progress.id]);
      const opened = await fs.ds.query(`SELECT count(*)::int AS n FROM case_event WHERE task_id = $1 AND type = 'task_opened'`, [progress.id]);
      expect(opened[0].n).toBe(1);
      expect(Object.entries(await fs.notificationCounts(rehab.caseId)).filter(([k]) => k.includes(progress.id))).toEqual([[assigned, 1]]);
      expect(await fs.timelineProblems(rehab.caseId)).toEqual([]);

      // The worker and the api rode it out (no restart needed).
      expect(fs.worker!.child.exitCode).toBeNull();
      expect(fs.api!.child.exitCode).toBeNull();
      expect((await fs.http('GET', '/ready')).status).toBe(200);
      for (const id of [caseA, caseB]) expect(await fs.timelineProblems(id)).toEqual([]);
    } finally {
      timerWorker.shutdown();
      await running.catch(() => undefined);
      await conn.close();
    }
  }));
