/**
 * Fault injection on a private stack (see fault-stack.ts), part 2: the stores.
 *  - Postgres stopped for 20 s: the api answers 503 with a reason (DEPENDENCY_UNAVAILABLE; /ready
 *    names postgres); a decision sent straight to the workflow (the HTTP path needs Postgres for
 *    the scope check) is taken, its projection activities retry, and once Postgres is back the
 *    read models catch up with nothing missing or doubled;
 *  - Redis stopped for 20 s: notification enqueueing waits/retries; after the restart every due
 *    notification is delivered exactly once.
 */
import { Queue } from 'bullmq';
import { taskActionUpdate } from '../../workflows/contracts';
import { FaultStack, sleep, until } from './fault-stack';

jest.setTimeout(240_000);
const fs = new FaultStack('stores');
const OUTAGE_MS = 20_000;

beforeAll(async () => {
  await fs.start();
}, 180_000);

afterAll(async () => {
  await fs.close();
}, 120_000);

test('Postgres down for 20 s: 503 with a reason, projections retry, read models catch up with nothing missing', () =>
  fs.withLogs(async () => {
    const u = fs.users;
    const caseId = await fs.startCase();
    const screening = await fs.openTask(caseId, 'screening');
    const handle = fs.temporal.workflow.getHandle(`case-${caseId}`);

    await fs.stack.stopService('postgres');
    const downAt = Date.now();
    let settled: Promise<number | Error> = Promise.resolve(new Error('no update sent'));
    try {
      // The api says what is wrong instead of hanging or answering 500.
      const list = await u.county.get('/cases');
      expect(list.status).toBe(503);
      expect(list.body.code).toBe('DEPENDENCY_UNAVAILABLE');
      expect(list.body.message).toMatch(/unavailable/);
      const ready = await fs.http('GET', '/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.down).toEqual(['postgres']);
      expect(ready.body.message).toBe('postgres unavailable');
      const decision = await u.township.post(`/cases/${caseId}/tasks/${screening.id}/decision`, { action: 'submit', data: { suitable: true, eye: 'left' } });
      expect(decision.status).toBe(503);
      expect(decision.body.code).toBe('DEPENDENCY_UNAVAILABLE');

      // The decision itself reaches the workflow without Postgres; its projection cannot land yet.
      const update = handle.executeUpdate(taskActionUpdate, {
        args: [{ taskId: screening.id, action: 'submit', actor: u.township.actor, data: { suitable: true, eye: 'left', uncorrectedAcuity: 0.1 } }],
      });
      settled = update.then(() => Date.now(), (e) => e);
      await sleep(Math.max(0, OUTAGE_MS - (Date.now() - downAt)));
      expect(await Promise.race([settled, sleep(1).then(() => 'pending')])).toBe('pending'); // waits for its write
    } finally {
      await fs.stack.startService('postgres');
    }
    const upAt = Date.now();

    // The api recovers by itself.
    await until('/ready 200 after postgres restart', async () => (await fs.http('GET', '/ready')).status === 200, 30_000);
    expect((await u.county.get('/cases')).status).toBe(200);

    // The Update returns once its projection is in Postgres (read-your-writes held across the outage).
    const doneAt = await settled;
    if (typeof doneAt !== 'number') throw doneAt;
    console.log(`postgres outage: the Update sent during the outage returned ${doneAt - upAt} ms after the restart`);
    const row = (await fs.ds.query(`SELECT status, decision FROM task WHERE id = $1`, [screening.id]))[0];
    expect(row).toEqual({ status: 'completed', decision: 'submit' });
    const hc = await fs.openTask(caseId, 'hospital_choice', 60_000);

    // Projection and due-date activities failed while Postgres was down and were retried.
    const traces = await fs.retryTraces(caseId);
    console.log(`postgres outage: ${JSON.stringify(traces)}`);
    expect(traces.maxActivityAttempt).toBeGreaterThan(1);
    expect(traces.retried.join(' ')).toMatch(/projectCase|computeDue/);

    // Nothing missing or doubled; the next decision over HTTP works; the processes never restarted.
    expect(await fs.timelineProblems(caseId)).toEqual([]);
    await fs.decide(u.villager, caseId, 'hospital_choice', { action: 'submit', data: { partnerId: fs.hospital } });
    expect(hc.step).toBe('hospital_choice');
    await fs.openTask(caseId, 'pre_op_check', 30_000);
    await fs.waitNotifications(caseId);
    expect(fs.worker!.child.exitCode).toBeNull();
    expect(fs.api!.child.exitCode).toBeNull();
  }));

test('Redis down for 20 s: enqueueing waits and retries; after the restart every due notification is delivered once', () =>
  fs.withLogs(async () => {
    const u = fs.users;
    const caseA = await fs.startCase();
    const caseB = await fs.startCase();
    const scA = await fs.openTask(caseA, 'screening');
    await fs.openTask(caseB, 'screening');
    // Everything due so far is delivered before the outage.
    for (const id of [caseA, caseB]) await fs.waitNotifications(id, 30_000);

    await fs.stack.stopService('redis');
    const downAt = Date.now();
    let httpDecision: Promise<{ status: number; body: any; ms: number }>;
    try {
      const ready = await fs.http('GET', '/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.down).toEqual(['redis']);
      expect((await u.county.get('/cases')).status).toBe(200); // reads do not need Redis

      // Case A: a decision straight to the workflow; it opens the next task, whose notification is due now.
      const update = fs.temporal.workflow.getHandle(`case-${caseA}`).executeUpdate(taskActionUpdate, {
        args: [{ taskId: scA.id, action: 'submit', actor: u.township.actor, data: { suitable: true, eye: 'left' } }],
      });
      // Case B: the same over HTTP, to see what a user gets while Redis is down.
      const t0 = Date.now();
      httpDecision = fs.decide(u.township, caseB, 'screening', { action: 'submit', data: { suitable: true, eye: 'right' } })
        .then((seen) => ({ status: seen.at(-1)!, body: seen, ms: Date.now() - t0 }));
      void update.catch(() => undefined);
      await sleep(Math.max(0, OUTAGE_MS - (Date.now() - downAt)));
      // The decisions are taken (the workflow state moved on) even though the notifications cannot be queued yet.
      const hcA = await fs.temporal.workflow.getHandle(`case-${caseA}`).query('caseView');
      expect((hcA as any).openTasks.map((t: any) => t.step)).toEqual(['hospital_choice']);
    } finally {
      await fs.stack.startService('redis');
    }
    const upAt = Date.now();
    const http = await httpDecision;
    console.log(`redis outage: HTTP decision statuses ${JSON.stringify(http.body)} after ${http.ms} ms`);

    for (const id of [caseA, caseB]) {
      await fs.openTask(id, 'hospital_choice', 60_000);
      const expected = await fs.expectedNotificationKeys(id);
      expect(expected.some((k) => k.startsWith('assigned:') && k.includes(u.villager.id))).toBe(true);
      const summary = await fs.waitNotifications(id, 90_000);
      expect(summary.sent).toBe(expected.length); // assignments: all delivered, none skipped
      expect(await fs.timelineProblems(id)).toEqual([]);
    }
    console.log(`redis outage: all notifications delivered ${Date.now() - upAt} ms after the restart; traces A ${JSON.stringify(await fs.retryTraces(caseA))}`);
    // Nothing was delivered twice from retried enqueues, and no job is stuck as failed.
    const failed = await until('bullmq failed count', async () => {
      const q = new Queue('notifications', { connection: { url: fs.stack.env.REDIS_URL } });
      try {
        return { failed: await q.getFailedCount(), waiting: await q.getWaitingCount(), delayed: await q.getDelayedCount() };
      } finally {
        await q.close();
      }
    }, 10_000);
    expect(failed).toEqual({ failed: 0, waiting: 0, delayed: 0 });
    expect(fs.worker!.child.exitCode).toBeNull();
    expect(fs.api!.child.exitCode).toBeNull();
  }));
