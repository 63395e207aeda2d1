/**
 * The daily digest on real Redis and Postgres: the job scheduler is registered (08:30 Shanghai),
 * a tick on a make-up Saturday sends each person one digest (in-app + e-mail by default) even when
 * it runs twice, and a tick on a public holiday or an ordinary Saturday sends nothing.
 */
import { Job, Queue } from 'bullmq';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { shanghaiDate, WorkingDayCalendar } from '../../../src/domain/calendar/working-days';
import { DIGEST_QUEUE } from '../../../src/queues/redis';
import { createPerson, createTree } from '../../setup/fixtures';
import { Client, Harness, startHarness } from '../../setup/harness';
import { readModelCase, readModelTask, setContact } from './read-model';
import { startSmtp, until } from './receivers';

let h: Harness;
let digestQueue: Queue;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let officer: Client;
let tickNo = 0;

beforeAll(async () => {
  smtp = await startSmtp();
  h = await startHarness('notify-digest', { SMTP_URL: smtp.url, PUBLIC_URL: 'https://dpf.example.cn', NOTIFY_DIGEST: 'true' });
  digestQueue = h.queue(DIGEST_QUEUE);
});

afterAll(async () => {
  await h?.close();
  await smtp?.close();
});

/** Runs one scheduler tick "at" the given Shanghai time and returns its result. */
async function tick(at: string) {
  const job = await digestQueue.add('digest-tick', { at }, { jobId: `test-tick-${Date.now()}-${++tickNo}` });
  return until(async () => {
    // state first, then the job hash: read the other way round, a tick that completes between the
    // two reads looks "completed" with the returnvalue of the moment before (null).
    const state = await digestQueue.getJobState(job.id!);
    const j = await Job.fromId(digestQueue, job.id!);
    if (state === 'failed') throw new Error(`tick failed: ${j!.failedReason}`);
    if (state === 'completed' && !j!.returnvalue) throw new Error(`tick completed without a result: ${JSON.stringify(j)}`);
    return state === 'completed' ? j!.returnvalue : undefined;
  }, 60_000, `the tick at ${at}`, 200);
}

const digestRows = async (date: string) =>
  h.ds.query(`SELECT * FROM notification WHERE dedupe_key = $1`, [`digest:${officer.userId}:${date}`]);

test('the scheduler fires at 08:30 Asia/Shanghai', async () => {
  const s = await until(() => digestQueue.getJobScheduler('daily-digest'), 10_000, 'the job scheduler');
  expect(s).toMatchObject({ pattern: '30 8 * * *', tz: 'Asia/Shanghai' });
  const next = new Date(Number(s!.next));
  expect(new Date(next.getTime() + 8 * 3_600_000).toISOString().slice(11, 16)).toBe('08:30');
  expect(next.getTime()).toBeGreaterThan(Date.now());
});

test('once per person on a working day (here a make-up Saturday), even if the tick runs twice', async () => {
  const tree = await createTree(h.ds);
  officer = await h.user('township_officer', tree.townshipA.code);
  const email = `digest-${officer.userId!.slice(0, 8)}@dpf.example.cn`;
  await setContact(h.ds, officer.userId!, null, email);
  const person = await createPerson(h.ds, tree.villageA1.code, tree.villageA1.path);
  const c = await readModelCase(h.ds, person, tree.villageA1);
  await readModelTask(h.ds, c, { step: 'screening', role: 'township_officer', org: tree.townshipA, assignee: officer.userId, dueDate: '2026-10-10' });
  await readModelTask(h.ds, c, { step: 'township_verify', kind: 'approval', role: 'township_officer', org: tree.townshipA, dueDate: '2026-09-30' }); // claimable, overdue
  const fresh = await readModelTask(h.ds, c, { step: 'confirmation', role: 'township_officer', org: tree.townshipA, assignee: officer.userId, dueDate: '2026-10-20' });
  await h.ds.query(
    `INSERT INTO notification (dedupe_key, user_id, type, title, body, case_id, task_id, created_at) VALUES ($1,$2,'task_assigned','x','x',$3,$4,'2026-10-09T10:00:00+08:00')`,
    [`assigned:${fresh.id}:${officer.userId}`, officer.userId, c.id, fresh.id],
  );

  const r = await tick('2026-10-10T08:30:00+08:00');
  expect(r).toMatchObject({ date: '2026-10-10', send: true, reason: 'makeup-workday 国庆节' });
  const rows = await until(async () => ((await digestRows('2026-10-10')).length ? digestRows('2026-10-10') : undefined), 15_000, 'the digest');
  expect(rows).toHaveLength(1);
  expect(rows[0].title).toBe('每日待办 2026-10-10');
  expect(rows[0].body).toContain('今日到期：1 件');
  expect(rows[0].body).toContain('已超期：1 件');
  expect(rows[0].body).toContain('新分派：1 件');
  expect(rows[0].body).toContain(`${c.caseNo} 结果确认`);
  expect(rows[0].body).toContain(`https://dpf.example.cn/app/cases/${c.id}`);
  await until(() => [...smtp.mailbox.values()].some((m) => m.to.includes(email)), 15_000, 'the digest e-mail');

  // the same day again (a restart re-running the tick, a second worker): nothing new
  const again = await tick('2026-10-10T08:31:00+08:00');
  expect(again.send).toBe(true);
  await new Promise((res) => setTimeout(res, 1500));
  expect(await digestRows('2026-10-10')).toHaveLength(1);
  const [{ n }] = await h.ds.query(`SELECT count(*)::int AS n FROM notification_digest WHERE user_id = $1 AND date = '2026-10-10'`, [officer.userId]);
  expect(n).toBe(1);
  expect([...smtp.raw].filter((m) => m.to.includes(email))).toHaveLength(1);
});

test('no digest on a public holiday (National Day) or an ordinary Saturday', async () => {
  for (const [at, date] of [['2026-10-01T08:30:00+08:00', '2026-10-01'], ['2026-10-17T08:30:00+08:00', '2026-10-17']]) {
    const r = await tick(at);
    expect(r).toMatchObject({ date, send: false, enqueued: 0 });
    expect(await digestRows(date)).toHaveLength(0);
    const [{ n }] = await h.ds.query(`SELECT count(*)::int AS n FROM notification_digest WHERE date = $1`, [date]);
    expect(n).toBe(0);
  }
  const monday = await tick('2026-10-12T08:30:00+08:00');
  expect(monday).toMatchObject({ date: '2026-10-12', send: true });
  await until(async () => ((await digestRows('2026-10-12')).length ? true : undefined), 15_000, 'the Monday digest');
});

test('the digest command (used by the run command for the demo) sends a given day once, and defaults to the latest working day', async () => {
  const cli = (args: string[]) =>
    execFileSync(process.execPath, ['dist/src/database/cli.js', 'digest', ...args], { cwd: join(__dirname, '..', '..', '..'), env: { ...process.env, QUEUE_PREFIX: h.queuePrefix }, encoding: 'utf8' });
  expect(cli(['2026-10-13'])).toContain('daily digest of 2026-10-13 queued');
  const rows = await until(async () => ((await digestRows('2026-10-13')).length ? digestRows('2026-10-13') : undefined), 15_000, 'the digest of 2026-10-13');
  expect(rows[0].title).toBe('每日待办 2026-10-13');
  cli(['2026-10-13']); // again: still one
  await new Promise((res) => setTimeout(res, 1000));
  expect(await digestRows('2026-10-13')).toHaveLength(1);

  const latest = /daily digest of (\d{4}-\d{2}-\d{2}) queued/.exec(cli([]))![1];
  const today = shanghaiDate(new Date());
  expect(latest <= today).toBe(true);
  expect(latest >= new WorkingDayCalendar().subtractWorkingDays(today, 3)).toBe(true); // a recent working day
});
