/**
 * A notifier process (the built `dist/src/notifications/notifier.js`) killed with SIGKILL in the
 * middle of a batch, then started again: every receiver ends with exactly one copy of each message.
 *
 * In-app rows are unique by key; the SMS gateway and the mail store drop a repeat of the message's
 * idempotency key (OutId / Message-ID), so a message whose send was cut off is sent again safely.
 * A group robot cannot drop a repeat, so an attempt cut off mid-send on a robot is not resent: it
 * is either in the group once or listed in the dead letters as in doubt — never twice.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { enqueueNotifications } from '../../../activities/notifications';
import { createDataSource } from '../../../src/database/data-source';
import { bullOptions, NOTIFICATION_QUEUE } from '../../../src/queues/redis';
import { createPerson, createStaff, createTree, shanghaiDay } from '../../setup/fixtures';
import { requireServices } from '../../setup/services';
import { phoneFor, readModelCase, readModelTask } from './read-model';
import { startSmsGateway, startSmtp, startWecom, until } from './receivers';

const root = join(__dirname, '..', '..', '..');
const svc = requireServices();
const N = 600; // reminders, each to its own officer by in-app, SMS and e-mail
const ROBOT = 30; // of which these also go to the WeCom group
const SMS_SECRET = 'crash-test-secret-0123456789';

let ds: DataSource;
let queue: Queue;
let sms: Awaited<ReturnType<typeof startSmsGateway>>;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let wecom: Awaited<ReturnType<typeof startWecom>>;
const children: ChildProcess[] = [];
// This suite's own queues: jobs other suites left in Redis are not this notifier's to deliver.
const queuePrefix = `bull-crash-${Date.now()}`;

function startNotifier(tag: string) {
  const child = spawn(process.execPath, [join(root, 'dist', 'src', 'notifications', 'notifier.js')], {
    cwd: root,
    env: {
      PATH: process.env.PATH!,
      DATABASE_URL: svc.databaseUrl,
      REDIS_URL: svc.redisUrl,
      QUEUE_PREFIX: queuePrefix,
      NOTIFY_DIGEST: 'false',
      TEMPORAL_ADDRESS: svc.temporalAddress,
      JWT_SECRET: 'crash-test-secret-crash-test-secret-0123',
      LOG_LEVEL: 'warn',
      SMS_GATEWAY_URL: sms.url,
      SMS_GATEWAY_SECRET: SMS_SECRET,
      SMTP_URL: smtp.url,
      WECOM_WEBHOOK_URL: wecom.url,
      NOTIFY_RATE_LIMITS: 'sms=2000/s,email=2000/s,wecom=2000/s,sms-number=100/h',
      NOTIFY_QUIET_START: '00:00',
      NOTIFY_QUIET_END: '00:00',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  children.push(child);
  return { child, exit, out: () => out, tag };
}

beforeAll(async () => {
  ds = createDataSource(svc.databaseUrl, 4);
  await ds.initialize();
  queue = new Queue(NOTIFICATION_QUEUE, bullOptions({ REDIS_URL: svc.redisUrl, QUEUE_PREFIX: queuePrefix }));
  [sms, smtp, wecom] = await Promise.all([startSmsGateway(SMS_SECRET), startSmtp(), startWecom('crash-key')]);
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await queue?.close();
  await ds?.destroy();
  await Promise.all([sms?.close(), smtp?.close(), wecom?.close()]);
});

test('SIGKILL mid-batch, restart: each receiver has exactly one copy of each message', async () => {
  const tree = await createTree(ds);
  const person = await createPerson(ds, tree.villageA1.code, tree.villageA1.path);
  const c = await readModelCase(ds, person, tree.villageA1);
  const reqs: any[] = [];
  const users: string[] = [];
  for (let i = 0; i < N; i++) {
    const s = await createStaff(ds, { role: 'township_officer', orgUnitCode: tree.townshipA.code });
    users.push(s.id);
    await ds.query(`UPDATE staff_user SET phone = $2, email = $3 WHERE id = $1`, [s.id, phoneFor(i), `officer${i}@crash.example.cn`]);
    await ds.query(`INSERT INTO notification_preference (user_id, channels) VALUES ($1, $2)`, [s.id, JSON.stringify({ task_due_soon: i < ROBOT ? ['sms', 'email', 'wecom'] : ['sms', 'email'] })]);
    const t = await readModelTask(ds, c, { step: 'screening', role: 'township_officer', org: tree.townshipA, assignee: s.id, dueDate: shanghaiDay(1) });
    reqs.push({ key: `remind:${t.id}:0`, type: 'task_due_soon', caseId: c.id, taskId: t.id, targets: [{ userId: s.id }], vars: { caseNo: c.caseNo, step: 'screening', dueDate: shanghaiDay(1) } });
  }
  const keys = reqs.map((r, i) => `${r.key}:${users[i]}`);
  expect(await enqueueNotifications(ds, queue, reqs)).toBe(N);

  // first notifier: killed with SIGKILL once a good part of the batch has gone out
  const first = startNotifier('first');
  await until(() => sms.raw.length >= N * 0.3, 90_000, `30% of the SMS (notifier output: ${first.out()})`, 5);
  first.child.kill('SIGKILL');
  expect(await first.exit).toEqual({ code: null, signal: 'SIGKILL' });
  const atKill = { sms: sms.raw.length, mail: smtp.raw.length, robot: wecom.received.length };
  const [{ n: inAppAtKill }] = await ds.query(`SELECT count(*)::int AS n FROM notification WHERE dedupe_key = ANY($1)`, [keys]);
  expect(atKill.sms).toBeLessThan(N); // really in the middle

  // second notifier: picks up the rest, including the jobs the first one held when it died
  const second = startNotifier('second');
  const expected = 3 * N + ROBOT;
  await until(
    async () => {
      const [{ done }] = await ds.query(
        `SELECT count(*)::int AS done FROM notification_delivery WHERE job_key = ANY($1) AND status IN ('sent', 'dead', 'skipped')`,
        [keys],
      );
      return done === expected;
    },
    120_000,
    `all ${expected} deliveries to finish (notifier output: ${second.out()})`,
    500,
  );
  second.child.kill('SIGTERM');
  expect(await second.exit).toEqual({ code: 0, signal: null });

  // in-app: one row per message
  const inApp: { dedupe_key: string; n: number }[] = await ds.query(
    `SELECT dedupe_key, count(*)::int AS n FROM notification WHERE dedupe_key = ANY($1) GROUP BY dedupe_key`,
    [keys],
  );
  expect(inApp).toHaveLength(N);
  expect(inApp.every((r) => r.n === 1)).toBe(true);

  // SMS: every officer's phone got the reminder exactly once
  expect(sms.badSignatures).toBe(0);
  const perPhone = new Map<string, number>();
  for (const m of sms.delivered.values()) perPhone.set(m.PhoneNumbers, (perPhone.get(m.PhoneNumbers) ?? 0) + 1);
  expect(sms.delivered.size).toBe(N);
  expect(perPhone.size).toBe(N);
  expect([...perPhone.values()].every((n) => n === 1)).toBe(true);

  // e-mail: one message per officer in the mailbox
  const perAddress = new Map<string, number>();
  for (const m of smtp.mailbox.values()) perAddress.set(m.to, (perAddress.get(m.to) ?? 0) + 1);
  expect(smtp.mailbox.size).toBe(N);
  expect(perAddress.size).toBe(N);
  expect([...perAddress.values()].every((n) => n === 1)).toBe(true);

  // WeCom group: never twice; a message not in the group was cut off mid-send and is in the dead letters
  const robotRows: { job_key: string; status: string; last_error: string | null }[] = await ds.query(
    `SELECT job_key, status, last_error FROM notification_delivery WHERE job_key = ANY($1) AND channel = 'wecom'`,
    [keys],
  );
  expect(robotRows).toHaveLength(ROBOT);
  const phones = new Map<string, number>();
  for (const m of wecom.received) for (const p of m.mentioned) phones.set(p, (phones.get(p) ?? 0) + 1);
  expect([...phones.values()].every((n) => n === 1)).toBe(true);
  for (const r of robotRows) {
    const i = keys.indexOf(r.job_key);
    if (r.status !== 'sent') {
      expect(r.status).toBe('dead');
      expect(r.last_error).toMatch(/cut off/);
    } else expect(phones.get(phoneFor(i))).toBe(1);
  }

  // the attempt log: every delivery has its attempts, and the attempts cut off by the kill are there
  const outcomes: { outcome: string; n: number }[] = await ds.query(
    `SELECT outcome, count(*)::int AS n FROM notification_attempt WHERE job_key = ANY($1) GROUP BY outcome ORDER BY outcome`,
    [keys],
  );
  const byOutcome = Object.fromEntries(outcomes.map((o) => [o.outcome, o.n]));
  expect(byOutcome.delivered).toBe(expected - robotRows.filter((r) => r.status !== 'sent').length);
  // What reached the receivers twice is bounded by what was in flight at the kill (one per channel
  // worker slot: SMS 16, e-mail 4): only those are resent, and only these receivers' de-duplication
  // makes them exactly once. A provider that does not de-duplicate would show at most that many
  // repeats per crash (at-least-once), never a replay of the batch.
  expect(sms.raw.length - sms.delivered.size).toBeLessThanOrEqual(16);
  expect(smtp.raw.length - smtp.mailbox.size).toBeLessThanOrEqual(4);
  console.log(
    `crash test: killed after ${atKill.sms} SMS / ${atKill.mail} mails / ${inAppAtKill} in-app / ${atKill.robot} robot posts; ` +
      `raw requests in the end: SMS ${sms.raw.length} (distinct ${sms.delivered.size}), mail ${smtp.raw.length} (distinct ${smtp.mailbox.size}), ` +
      `robot ${wecom.received.length}; attempts ${JSON.stringify(byOutcome)}`,
  );
});
