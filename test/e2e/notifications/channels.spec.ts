/**
 * Notification delivery on the real stack (api + worker in-process, Postgres, Redis, Temporal)
 * to real receivers on 127.0.0.1: SMTP (smtp-server), an SMS gateway, WeCom and DingTalk group
 * robots. Covers every channel, live SSE, the per-case delivery log, reminders for closed tasks,
 * quiet hours and SMS consent for residents, and the dead-letter list with retry from the API.
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { enqueueNotifications } from '../../../activities/notifications';
import { Client, Harness, startHarness } from '../../setup/harness';
import { createCampaign, createHospital, createPerson, createTree, shanghaiDay, Tree } from '../../setup/fixtures';
import { bullConnection, CHANNEL_QUEUES, DIGEST_QUEUE, NOTIFICATION_QUEUE } from '../../../src/queues/redis';
import { nextAllowedTime } from '../../../src/notifications/rules';
import { readModelCase, readModelTask, setContact } from './read-model';
import { startDingtalk, startSmsGateway, startSmtp, startWecom, until } from './receivers';
import { openSse } from './sse';

const SMS_SECRET = 'sms-gateway-secret-0123456789';
const DING_SECRET = 'SECdingtalk-secret-0123456789';

let h: Harness;
let tree: Tree;
let sms: Awaited<ReturnType<typeof startSmsGateway>>;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let wecom: Awaited<ReturnType<typeof startWecom>>;
let ding: Awaited<ReturnType<typeof startDingtalk>>;
let queue: Queue;
let smsQueue: Queue;
let quiet: { start: string; end: string };
let u: Record<string, Client>;

/** Quiet hours that cover "now" (Shanghai) and end at 08:00 (09:00 if it is just before 08:00). */
function quietNow() {
  const sh = new Date(Date.now() + 8 * 3_600_000 - 2 * 60_000);
  const start = sh.toISOString().slice(11, 16);
  const mins = sh.getUTCHours() * 60 + sh.getUTCMinutes();
  return { start, end: mins >= 7 * 60 + 50 && mins < 8 * 60 + 10 ? '09:00' : '08:00' };
}

const enqueue = (reqs: any[]) => enqueueNotifications(h.ds, queue, reqs);

async function deliveries(c: Client, caseId: string) {
  const r = await c.get(`/cases/${caseId}/deliveries`);
  expect(r.status).toBe(200);
  return r.body.items as any[];
}

beforeAll(async () => {
  [sms, smtp, wecom, ding] = await Promise.all([startSmsGateway(SMS_SECRET), startSmtp(), startWecom('wecom-key-1'), startDingtalk('ding-token-1', DING_SECRET)]);
  quiet = quietNow();
  h = await startHarness('notify-channels', {
    SMTP_URL: smtp.url,
    SMS_GATEWAY_URL: sms.url,
    SMS_GATEWAY_SECRET: SMS_SECRET,
    WECOM_WEBHOOK_URL: wecom.url,
    DINGTALK_WEBHOOK_URL: ding.url,
    DINGTALK_SECRET: DING_SECRET,
    NOTIFY_QUIET_START: quiet.start,
    NOTIFY_QUIET_END: quiet.end,
    NOTIFY_MAX_ATTEMPTS: '3',
    NOTIFY_BACKOFF_MS: '300',
    PUBLIC_URL: 'https://dpf.example.cn',
  });
  queue = h.queue(NOTIFICATION_QUEUE);
  smsQueue = h.queue(CHANNEL_QUEUES.sms);
  tree = await createTree(h.ds);
  u = {
    officer: await h.user('township_officer', tree.townshipA.code),
    county: await h.user('county_officer', tree.county.code),
    otherTownship: await h.user('township_officer', tree.townshipB.code),
    villager: await h.user('village_caseworker', tree.villageA1.code),
    admin: await h.user('admin', tree.city.code),
  };
  await setContact(h.ds, u.officer.userId!, '13912345678', 'officer@dpf.example.cn');
});

afterAll(async () => {
  await h?.close();
  await Promise.all([sms?.close(), smtp?.close(), wecom?.close(), ding?.close()]);
});

test('every channel delivers one message; names are masked where others may read it; live over SSE', async () => {
  const pref = await u.officer.put('/notifications/preferences', { channels: { task_escalated: ['email', 'sms', 'wecom', 'dingtalk'] } });
  expect(pref.status).toBe(200);
  expect(pref.body.effective.task_escalated).toEqual(['in_app', 'email', 'sms', 'wecom', 'dingtalk']);
  expect(pref.body.effective.task_assigned).toEqual(['in_app']);

  const person = await createPerson(h.ds, tree.villageA1.code, tree.villageA1.path);
  await h.ds.query(`UPDATE person SET name = '张小三' WHERE id = $1`, [person.id]);
  const c = await readModelCase(h.ds, person, tree.villageA1);
  const task = await readModelTask(h.ds, c, { step: 'county_approval', role: 'county_officer', org: tree.county, dueDate: shanghaiDay(-1) });

  // the live stream: a stream token (60 s) in the URL, as EventSource needs
  const tok = await u.officer.post('/notifications/stream-token');
  expect(tok.status).toBe(200);
  expect(tok.body.expiresIn).toBe(60);
  const stream = await openSse(`${h.base}/notifications/stream?token=${encodeURIComponent(tok.body.token)}`);
  expect(stream.status).toBe(200);
  expect(stream.contentType).toMatch(/text\/event-stream/);
  await until(() => stream.events.find((e) => e.event === 'unread'), 10_000, 'the unread event');

  const req = { key: `escalated:${task.id}`, type: 'task_escalated', caseId: c.id, taskId: task.id, targets: [{ userId: u.officer.userId }], vars: { caseNo: c.caseNo, step: 'county_approval', dueDate: shanghaiDay(-1) } };
  expect(await enqueue([req])).toBe(1);

  await until(() => sms.delivered.size >= 1 && smtp.mailbox.size >= 1 && wecom.received.length >= 1 && ding.received.length >= 1, 20_000, 'all four receivers');
  const inApp = await until(async () => (await u.officer.get('/notifications?filter=unread')).body.items.find((n: any) => n.taskId === task.id), 10_000, 'the in-app row');
  expect(inApp.type).toBe('task_escalated');
  expect(inApp.title).toBe(`超期督办：${c.caseNo}`);
  expect(inApp.body).toContain('张小三'); // private: full name and link
  expect(inApp.body).toContain(`https://dpf.example.cn/app/cases/${c.id}`);

  const [text] = [...sms.delivered.values()];
  expect(sms.badSignatures).toBe(0);
  expect(text.PhoneNumbers).toBe('13912345678');
  expect(text.TemplateCode).toBe('DPF_TASK_ESCALATED');
  expect(JSON.parse(text.TemplateParam)).toMatchObject({ caseNo: c.caseNo, step: 'county_approval' });
  expect(text.OutId).toMatch(/^n[0-9a-f]{32}$/);
  expect(text.Content).toContain('张*三');
  expect(text.Content).not.toContain('张小三');

  const [mail] = [...smtp.mailbox.values()];
  expect(mail.to).toContain('officer@dpf.example.cn');
  expect(mail.subject).toBe(`超期督办：${c.caseNo}`);
  expect(mail.text).toContain('张小三');
  expect(mail.messageId).toMatch(/^<n[0-9a-f]{32}@dpf-caseflow>$/);

  expect(wecom.received[0].content).toContain(`超期督办：${c.caseNo}`);
  expect(wecom.received[0].content).toContain('张*三');
  expect(wecom.received[0].content).not.toContain('张小三');
  expect(wecom.received[0].mentioned).toEqual(['13912345678']);
  expect(ding.badSignatures).toBe(0);
  expect(ding.received[0].content).toContain('张*三');
  expect(ding.received[0].mentioned).toEqual(['13912345678']);

  // the SSE stream got it live, with the new unread count
  const live = await until(() => stream.events.find((e) => e.event === 'notification'), 10_000, 'the live event');
  expect(live.data.notification.id).toBe(inApp.id);
  expect(live.data.unread).toBeGreaterThanOrEqual(1);
  expect((await u.officer.get('/notifications/unread-count')).body.unread).toBe(live.data.unread);
  stream.close();

  // every attempt is logged and shown with the case (to people who may see the case)
  const items = await until(async () => {
    const list = await deliveries(u.county, c.id);
    return list.length === 5 && list.every((d) => d.status === 'sent') ? list : undefined;
  }, 10_000, 'five sent deliveries');
  expect(items.map((d) => d.channel).sort()).toEqual(['dingtalk', 'email', 'in_app', 'sms', 'wecom']);
  for (const d of items) {
    expect(d.jobKey).toBe(`escalated:${task.id}:${u.officer.userId}`);
    expect(d.attempts).toEqual([expect.objectContaining({ attemptNo: 1, outcome: 'delivered', error: null })]);
  }
  expect(items.find((d) => d.channel === 'sms').recipient.address).toBe('139****5678');
  expect((await u.otherTownship.get(`/cases/${c.id}/deliveries`)).status).toBe(404);

  // the activity retried (or the workflow replayed): nothing is sent twice
  expect(await enqueue([req])).toBe(1);
  await new Promise((r) => setTimeout(r, 1500));
  expect(sms.raw).toHaveLength(1);
  expect(smtp.raw).toHaveLength(1);
  expect(wecom.received).toHaveLength(1);
  expect(ding.received).toHaveLength(1);
  const [{ n }] = await h.ds.query(`SELECT count(*)::int AS n FROM notification WHERE task_id = $1`, [task.id]);
  expect(n).toBe(1);
});

test('the stream accepts only a stream token; a stream token is not an access token', async () => {
  expect((await openSse(`${h.base}/notifications/stream`)).status).toBe(401);
  const asQuery = await openSse(`${h.base}/notifications/stream?token=${u.officer.token}`);
  expect(asQuery.status).toBe(401);
  expect(asQuery.body.message).toMatch(/stream-token/);
  const tok = (await u.officer.post('/notifications/stream-token')).body.token;
  expect((await h.client(tok).get('/notifications')).status).toBe(401);
  expect((await h.client().post('/notifications/stream-token')).status).toBe(401);
});

test('preferences are validated', async () => {
  expect((await u.officer.put('/notifications/preferences', { channels: { task_overdue: ['fax'] } })).status).toBe(422);
  expect((await u.officer.put('/notifications/preferences', { channels: { visit_reminder: ['sms'] } })).status).toBe(422);
  expect((await u.officer.put('/notifications/preferences', { channels: 'sms' })).status).toBe(400);
  const r = await u.villager.get('/notifications/preferences');
  expect(r.body).toMatchObject({ channels: {}, effective: { task_assigned: ['in_app'], daily_digest: ['in_app', 'email'] } });
});

test('a reminder whose task was completed before it fired is never sent', async () => {
  await u.officer.put('/notifications/preferences', { channels: { task_due_soon: ['sms', 'email'] } });
  await createHospital(h.ds, tree.county.code);
  await createCampaign(h.ds, tree.county.code, { registrationStart: shanghaiDay(-30), registrationEnd: shanghaiDay(30), screeningStart: shanghaiDay(-20) });
  const person = await createPerson(h.ds, tree.villageA1.code, tree.villageA1.path, { birth: '1950-03-04' });
  const started = await u.villager.post('/cases', { programme: 'cataract', personId: person.id });
  expect(started.status).toBe(201);
  const caseId = started.body.caseId;
  const task = await until(async () => (await u.officer.get(`/cases/${caseId}`)).body?.tasks?.find((t: any) => t.step === 'screening' && t.status === 'open'), 20_000, 'the screening task');

  // the reminder is already queued (due in 2.5 s) when the officer completes the task
  const key = `remind:${task.taskId}:0:${u.officer.userId}`;
  await queue.add('task_due_soon', { key, userId: u.officer.userId, type: 'task_due_soon', caseId, taskId: task.taskId, vars: { caseNo: started.body.caseNo, step: 'screening', dueDate: task.dueDate } }, { jobId: key.replace(/:/g, '|'), delay: 2500 });
  const smsBefore = sms.raw.length;
  const mailBefore = smtp.raw.length;
  const done = await u.officer.post(`/cases/${caseId}/tasks/${task.taskId}/decision`, { action: 'submit', data: { suitable: true, eye: 'right', uncorrectedAcuity: 0.05 } });
  expect(done.status).toBe(200);

  const list = await until(async () => {
    const all = (await deliveries(u.county, caseId)).filter((d) => d.jobKey === key);
    return all.length === 3 && all.every((d) => d.status === 'skipped') ? all : undefined;
  }, 20_000, 'the skipped reminder');
  for (const d of list) expect(d.attempts).toEqual([expect.objectContaining({ outcome: 'skipped-closed', error: expect.stringContaining('completed') })]);
  expect(sms.raw.length).toBe(smsBefore);
  expect(smtp.raw.length).toBe(mailBefore);
  const rows = await h.ds.query(`SELECT 1 FROM notification WHERE dedupe_key = $1`, [key]);
  expect(rows).toHaveLength(0);
});

test('a queue of another deployment (or suite) on the same Redis is not this worker’s: its jobs stay where they are', async () => {
  // BullMQ's default prefix, where a deployment without QUEUE_PREFIX (or an older suite) keeps its jobs.
  const other = new Queue(CHANNEL_QUEUES.email, { connection: bullConnection(process.env.REDIS_URL!) });
  const mine = h.queue(CHANNEL_QUEUES.email);
  try {
    const stray = await other.add('deliver', { deliveryId: randomUUID() }, { jobId: `stray-${randomUUID()}` });
    const own = await mine.add('deliver', { deliveryId: randomUUID() }, { jobId: `own-${randomUUID()}`, attempts: 1 });
    // this suite's worker takes its own job at once (an unknown delivery: done or failed, never waiting) ...
    await until(async () => (['completed', 'failed'].includes(await own.getState()) ? true : undefined), 15_000, 'this suite’s job');
    // ... and has not touched the job under the other prefix
    expect(await stray.getState()).toBe('waiting');
    await stray.remove();
    // and the harness's worker (NOTIFY_DIGEST=false) has no 08:30 digest schedule that could mail this suite's sinks
    expect(await h.queue(DIGEST_QUEUE).getJobScheduler('daily-digest')).toBeFalsy();
  } finally {
    await other.close();
  }
});

test('quiet hours hold a resident’s visit reminder until the morning; without consent there is no SMS', async () => {
  const consenting = await createPerson(h.ds, tree.villageA1.code, tree.villageA1.path);
  const refusing = await createPerson(h.ds, tree.villageA1.code, tree.villageA1.path);
  await h.ds.query(`UPDATE person SET phone = '13700000001', name = '李四光' WHERE id = $1`, [consenting.id]);
  await h.ds.query(`UPDATE person SET phone = '13700000002' WHERE id = $1`, [refusing.id]);
  expect((await u.otherTownship.put(`/persons/${consenting.id}/sms-consent`, { consent: true })).status).toBe(404); // out of scope
  const consent = await u.villager.put(`/persons/${consenting.id}/sms-consent`, { consent: true, note: 'signed form' });
  expect(consent.status).toBe(200);
  expect(consent.body).toMatchObject({ consent: true, recordedBy: u.villager.userId, note: 'signed form' });
  expect((await u.villager.get(`/persons/${refusing.id}/sms-consent`)).body.consent).toBe(false);

  const results: Record<string, any> = {};
  for (const [name, p] of Object.entries({ consenting, refusing })) {
    const c = await readModelCase(h.ds, p, tree.villageA1);
    const t = await readModelTask(h.ds, c, { step: 'followup_2w', kind: 'followup', role: 'township_officer', org: tree.townshipA, assignee: u.officer.userId, dueDate: shanghaiDay(1) });
    const before = Date.now();
    // the workflow's reminder for a follow-up task: staff get "follow-up due", the resident a visit reminder
    expect(await enqueue([{ key: `remind:${t.id}:0`, type: 'task_due_soon', caseId: c.id, taskId: t.id, targets: [{ userId: u.officer.userId }], vars: { caseNo: c.caseNo, step: 'followup_2w', dueDate: shanghaiDay(1) } }])).toBe(2);
    const items = await until(async () => {
      const list = await deliveries(u.county, c.id);
      return list.length === 2 && list.find((d) => d.channel === 'in_app')?.status === 'sent' ? list : undefined;
    }, 15_000, 'the deliveries');
    results[name] = { c, t, before, items };
  }

  // staff: "follow-up visit due" in-app right away
  const staffNote = (await u.officer.get('/notifications')).body.items.find((n: any) => n.taskId === results.consenting.t.id);
  expect(staffNote.type).toBe('followup_due');
  expect(staffNote.title).toBe(`随访到期：${results.consenting.c.caseNo}`);

  // the resident's SMS waits in BullMQ's delayed set until the end of quiet hours
  const smsRow = results.consenting.items.find((d: any) => d.channel === 'sms');
  expect(smsRow).toMatchObject({ type: 'visit_reminder', status: 'queued', recipient: { kind: 'person', id: consenting.id } });
  const expected = nextAllowedTime(new Date(results.consenting.before), quiet.start, quiet.end).getTime();
  expect(new Date(smsRow.notBefore).getTime()).toBeGreaterThanOrEqual(expected - 5000);
  expect(new Date(smsRow.notBefore).getTime()).toBeLessThanOrEqual(expected + 5000);
  expect(new Date(expected).toISOString().slice(11, 16)).toBe(quiet.end === '08:00' ? '00:00' : '01:00'); // 08:00 / 09:00 Shanghai
  const job = await smsQueue.getJob(`d|${smsRow.id}`);
  expect(await job!.getState()).toBe('delayed');
  expect(job!.delay).toBeGreaterThan(expected - results.consenting.before - 5000);
  expect(job!.delay).toBeLessThanOrEqual(expected - results.consenting.before + 5000);

  // forced out early (a promote), the channel still holds it back; nothing reaches the phone
  await job!.promote();
  await until(async () => {
    const d = (await deliveries(u.county, results.consenting.c.id)).find((x) => x.channel === 'sms');
    return d.attempts.some((a: any) => a.outcome === 'deferred-quiet-hours') ? d : undefined;
  }, 10_000, 'the deferral');
  expect(await (await smsQueue.getJob(`d|${smsRow.id}`))!.getState()).toBe('delayed');
  expect(sms.raw.filter((m) => m.PhoneNumbers === '13700000001')).toHaveLength(0);

  // no recorded consent: never sent
  const refused = results.refusing.items.find((d: any) => d.channel === 'sms');
  await (await smsQueue.getJob(`d|${refused.id}`))!.promote();
  const skipped = await until(async () => {
    const d = (await deliveries(u.county, results.refusing.c.id)).find((x) => x.channel === 'sms');
    return d.status === 'skipped' ? d : undefined;
  }, 10_000, 'the consent skip');
  expect(skipped.attempts.at(-1)).toMatchObject({ outcome: 'skipped-no-consent' });
  expect(sms.raw.filter((m) => m.PhoneNumbers === '13700000002')).toHaveLength(0);
});

test('a permanently failing channel ends in the dead-letter list; a retry from the API delivers it', async () => {
  await u.officer.put('/notifications/preferences', { channels: { task_overdue: ['dingtalk'], task_escalated: ['sms'] } });
  const person = await createPerson(h.ds, tree.villageA1.code, tree.villageA1.path);
  const c = await readModelCase(h.ds, person, tree.villageA1);
  const t = await readModelTask(h.ds, c, { step: 'screening', role: 'township_officer', org: tree.townshipA, dueDate: shanghaiDay(-2) });
  ding.setMode('fail');
  const before = ding.received.length;
  await enqueue([{ key: `overdue:${t.id}`, type: 'task_overdue', caseId: c.id, taskId: t.id, targets: [{ userId: u.officer.userId }], vars: { caseNo: c.caseNo, step: 'screening', dueDate: shanghaiDay(-2) } }]);

  // 3 attempts with exponential back-off (300 ms, 600 ms), then dead
  const dead = await until(async () => (await deliveries(u.county, c.id)).find((d) => d.channel === 'dingtalk' && d.status === 'dead'), 20_000, 'the dead letter');
  expect(dead.attempts.map((a: any) => a.outcome)).toEqual(['failed', 'failed', 'dead']);
  expect(dead.attempts.map((a: any) => a.attemptNo)).toEqual([1, 2, 3]);
  expect(dead.lastError).toMatch(/HTTP 500/);
  const gaps = [1, 2].map((i) => new Date(dead.attempts[i].at).getTime() - new Date(dead.attempts[i - 1].at).getTime());
  expect(gaps[0]).toBeGreaterThanOrEqual(250);
  expect(gaps[1]).toBeGreaterThanOrEqual(550);

  expect((await u.officer.get('/admin/notifications/dead-letters')).status).toBe(403);
  const list = await u.admin.get('/admin/notifications/dead-letters?channel=dingtalk');
  expect(list.status).toBe(200);
  expect(list.body.items.find((d: any) => d.id === dead.id)).toMatchObject({ channel: 'dingtalk', type: 'task_overdue', caseNo: c.caseNo, attempts: 3 });

  ding.setMode('ok');
  const retry = await u.admin.post(`/admin/notifications/dead-letters/${dead.id}/retry`);
  expect(retry.status).toBe(202);
  expect((await u.admin.post(`/admin/notifications/dead-letters/${dead.id}/retry`)).status).toBe(409);
  const sent = await until(async () => (await deliveries(u.county, c.id)).find((d) => d.id === dead.id && d.status === 'sent'), 15_000, 'the retried delivery');
  expect(sent.attempts.map((a: any) => a.outcome)).toEqual(['failed', 'failed', 'dead', 'delivered']);
  expect(sent.retries).toBe(1);
  expect(ding.received.length).toBe(before + 1);
  expect(ding.received.at(-1)!.content).toContain(`已超期：${c.caseNo}`);
  expect((await u.admin.get('/admin/notifications/dead-letters')).body.items.find((d: any) => d.id === dead.id)).toBeUndefined();

  // a permanent refusal (bad number) is dead-lettered at once, without retries
  sms.setMode('reject');
  await enqueue([{ key: `escalated:${t.id}`, type: 'task_escalated', caseId: c.id, taskId: t.id, targets: [{ userId: u.officer.userId }], vars: { caseNo: c.caseNo, step: 'screening', dueDate: shanghaiDay(-2) } }]);
  const refused = await until(async () => (await deliveries(u.county, c.id)).find((d) => d.channel === 'sms' && d.status === 'dead'), 15_000, 'the refused SMS');
  sms.setMode('ok');
  expect(refused.attempts).toEqual([expect.objectContaining({ attemptNo: 1, outcome: 'dead', error: expect.stringContaining('MOBILE_NUMBER_ILLEGAL') })]);
});
