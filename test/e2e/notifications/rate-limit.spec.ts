/**
 * Rate limits on real Redis: a channel limit of N per minute (BullMQ limiter on the channel's
 * queue) and the per-number SMS limit (messages over it wait for the next window).
 */
import { Queue } from 'bullmq';
import { enqueueNotifications } from '../../../activities/notifications';
import { NOTIFICATION_QUEUE } from '../../../src/queues/redis';
import { createPerson, createStaff, createTree, shanghaiDay } from '../../setup/fixtures';
import { Harness, startHarness } from '../../setup/harness';
import { phoneFor, readModelCase, readModelTask } from './read-model';
import { startSmsGateway, startWecom, until } from './receivers';

const SECRET = 'rate-limit-secret-0123456789';
let h: Harness;
let queue: Queue;
let wecom: Awaited<ReturnType<typeof startWecom>>;
let sms: Awaited<ReturnType<typeof startSmsGateway>>;

beforeAll(async () => {
  [wecom, sms] = await Promise.all([startWecom('rate-key'), startSmsGateway(SECRET)]);
  h = await startHarness('notify-rate', {
    WECOM_WEBHOOK_URL: wecom.url,
    SMS_GATEWAY_URL: sms.url,
    SMS_GATEWAY_SECRET: SECRET,
    NOTIFY_RATE_LIMITS: 'wecom=10/min,sms-number=2/5s',
    NOTIFY_QUIET_START: '00:00',
    NOTIFY_QUIET_END: '00:00',
  });
  queue = h.queue(NOTIFICATION_QUEUE);
});

afterAll(async () => {
  await h?.close();
  await Promise.all([wecom?.close(), sms?.close()]);
});

test('a channel limit of 10/min holds the 11th message for a minute; 2 SMS per number per 5 s', async () => {
  const tree = await createTree(h.ds);
  const person = await createPerson(h.ds, tree.villageA1.code, tree.villageA1.path);
  const c = await readModelCase(h.ds, person, tree.villageA1);
  const robotReqs: any[] = [];
  for (let i = 0; i < 13; i++) {
    const s = await createStaff(h.ds, { role: 'township_officer', orgUnitCode: tree.townshipA.code });
    await h.ds.query(`UPDATE staff_user SET phone = $2 WHERE id = $1`, [s.id, phoneFor(500 + i)]);
    await h.ds.query(`INSERT INTO notification_preference (user_id, channels) VALUES ($1, '{"task_overdue": ["wecom"]}')`, [s.id]);
    const t = await readModelTask(h.ds, c, { step: 'screening', role: 'township_officer', org: tree.townshipA, assignee: s.id, dueDate: shanghaiDay(-1) });
    robotReqs.push({ key: `overdue:${t.id}`, type: 'task_overdue', caseId: c.id, taskId: t.id, targets: [{ userId: s.id }], vars: { caseNo: c.caseNo, step: 'screening', dueDate: shanghaiDay(-1) } });
  }
  // one officer with one phone gets five different SMS at once
  const busy = await createStaff(h.ds, { role: 'township_officer', orgUnitCode: tree.townshipA.code });
  await h.ds.query(`UPDATE staff_user SET phone = '13600000000' WHERE id = $1`, [busy.id]);
  await h.ds.query(`INSERT INTO notification_preference (user_id, channels) VALUES ($1, '{"task_due_soon": ["sms"]}')`, [busy.id]);
  const smsReqs: any[] = [];
  for (let i = 0; i < 5; i++) {
    const t = await readModelTask(h.ds, c, { step: 'screening', role: 'township_officer', org: tree.townshipA, assignee: busy.id, dueDate: shanghaiDay(1) });
    smsReqs.push({ key: `remind:${t.id}:0`, type: 'task_due_soon', caseId: c.id, taskId: t.id, targets: [{ userId: busy.id }], vars: { caseNo: c.caseNo, step: 'screening', dueDate: shanghaiDay(1) } });
  }

  await enqueueNotifications(h.ds, queue, [...robotReqs, ...smsReqs]);

  // per-number SMS limit: 2 go out, the rest wait for the next 5-second windows
  const toBusy = () => [...sms.delivered.values()].filter((m) => m.PhoneNumbers === '13600000000');
  await until(() => toBusy().length === 5, 30_000, 'five SMS to one number');
  const times = toBusy().map((m) => m.at).sort((a, b) => a - b);
  expect(times[4] - times[0]).toBeGreaterThanOrEqual(5000 - 50); // three windows at least
  const windows = new Map<number, number>();
  for (const t of times) windows.set(Math.floor(t / 5000), (windows.get(Math.floor(t / 5000)) ?? 0) + 1);
  expect(Math.max(...windows.values())).toBeLessThanOrEqual(2);
  const [{ n: deferred }] = await h.ds.query(
    `SELECT count(*)::int AS n FROM notification_attempt WHERE job_key = ANY($1) AND outcome = 'deferred-rate-limit'`,
    [smsReqs.map((r) => `${r.key}:${busy.id}`)],
  );
  expect(deferred).toBeGreaterThanOrEqual(3);
  expect(sms.raw.filter((m) => m.PhoneNumbers === '13600000000')).toHaveLength(5);

  // channel limit: 10 in the first minute, the other 3 only after it
  await until(() => wecom.received.length >= 10, 20_000, 'the first ten robot messages');
  await new Promise((r) => setTimeout(r, 2000));
  expect(wecom.received).toHaveLength(10);
  await until(() => wecom.received.length === 13, 90_000, 'the last three robot messages', 250);
  const at = wecom.received.map((m) => m.at).sort((a, b) => a - b);
  expect(at[9] - at[0]).toBeLessThan(10_000);
  expect(at[10] - at[0]).toBeGreaterThanOrEqual(60_000 - 1000);
  for (let i = 0; i + 10 < at.length; i++) expect(at[i + 10] - at[i]).toBeGreaterThanOrEqual(60_000 - 1000); // never 11 within a minute
}, 150_000);
