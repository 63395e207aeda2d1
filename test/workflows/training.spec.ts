/**
 * The training → placement workflow on the time-skipping test server, with the real activities
 * on Postgres and Redis: a trainee from enrolment to 12 months of retention; drop-out with the
 * waitlist moving in; a placement lost at 6 months and re-placed; a 6-month contract that does not
 * count toward the employer's quota; a course that misses the institution payment thresholds.
 */
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createActivities } from '../../activities';
import { createDataSource } from '../../src/database/data-source';
import { NOTIFICATION_QUEUE } from '../../src/queues/redis';
import { coursePayment, employerQuota } from '../../src/training/training-read';
import { Actor, caseViewQuery, CaseView, caseWorkflowId, taskActionUpdate, TaskActionInput } from '../../workflows/contracts';
import { TRAINING_DEFAULTS, type TrainingCaseInput } from '../../workflows/contracts/training';
import { createPerson, createStaff, createTree, Tree } from '../setup/fixtures';
import { registerCaseSearchAttributes } from '../setup/search-attributes';
import { requireDatabase, testServerExecutable } from '../setup/services';

const TQ = 'training-test';
const DAY = 86_400_000;
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let ds: DataSource;
let queue: Queue;
let tree: Tree;
let institutionId: string;
let employerId: string;
let positionId: string;
const actors: Record<string, Actor> = {};

beforeAll(async () => {
  const { databaseUrl, redisUrl } = requireDatabase();
  ds = createDataSource(databaseUrl, 4);
  await ds.initialize();
  queue = new Queue(NOTIFICATION_QUEUE, { connection: { url: redisUrl } });
  tree = await createTree(ds);
  institutionId = randomUUID();
  employerId = randomUUID();
  positionId = randomUUID();
  await ds.query(
    `INSERT INTO partner (id, name, kind, org_unit_code, services, capacity, agreement_start, agreement_end, status)
     VALUES ($1,'测试培训学校','training_institution',$3,'{vocational_training}',80,'2020-01-01','2099-12-31','active'),
            ($2,'测试食品有限公司','employer',$3,'{job_placement}',NULL,'2020-01-01','2099-12-31','active')`,
    [institutionId, employerId, tree.county.code],
  );
  await ds.query(`INSERT INTO job_position (id, employer_id, title, openings, monthly_pay, contract_months, social_insurance) VALUES ($1,$2,'包装工',5,2600,24,true)`, [positionId, employerId]);
  await ds.query(`INSERT INTO employer_profile (partner_id, headcount) VALUES ($1, 200)`, [employerId]);
  const mk = async (key: string, role: string, unit: { code: string; path: string }, partnerId?: string) => {
    const u = await createStaff(ds, { role, orgUnitCode: unit.code, partnerId, name: key });
    actors[key] = { id: u.id, name: key, role, orgPath: unit.path, partnerId: partnerId ?? null };
  };
  await mk('villager', 'village_caseworker', tree.villageA1);
  await mk('township1', 'township_officer', tree.townshipA);
  await mk('county1', 'county_officer', tree.county);
  await mk('teacher', 'partner_staff', tree.county, institutionId);
  await mk('hr', 'partner_staff', tree.county, employerId);

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

// ---- helpers -----------------------------------------------------------------------------------

const dayOf = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const midnight = (day: string) => Date.parse(`${day}T00:00:00+08:00`);
const envToday = async () => dayOf(await env.currentTimeMs());

async function sleepUntil(ms: number) {
  const now = await env.currentTimeMs();
  if (ms > now) await env.sleep(ms - now);
}

interface CourseRow {
  id: string;
  name: string;
  start: string;
  end: string;
  hours: number;
}

async function createCourse(o: { start: string; end: string; hours: number; places: number; fee?: number }): Promise<CourseRow> {
  const id = randomUUID();
  const name = `测试培训班${id.slice(0, 4)}`;
  await ds.query(
    `INSERT INTO course (id, name, type, org_unit_code, year, institution_id, start_date, end_date, hours, places, location, fee_per_trainee)
     VALUES ($1,$2,'employment_skills',$3,$4,$5,$6,$7,$8,$9,'县培训学校',$10)`,
    [id, name, tree.county.code, Number(o.start.slice(0, 4)), institutionId, o.start, o.end, o.hours, o.places, o.fee ?? null],
  );
  return { id, name, start: o.start, end: o.end, hours: o.hours };
}

async function start(course: CourseRow, grade: number | null = 3) {
  const p = await createPerson(ds, tree.villageA1.code, tree.villageA1.path, { birth: '1990-05-06' });
  const caseId = randomUUID();
  const input: TrainingCaseInput = {
    caseId,
    caseNo: `T-${caseId.slice(0, 8)}`,
    personId: p.id,
    orgUnitCode: tree.villageA1.code,
    orgPath: tree.villageA1.path,
    course: {
      id: course.id, name: course.name, type: 'employment_skills', institutionId, institutionName: '测试培训学校',
      startDate: course.start, endDate: course.end, hours: course.hours, year: Number(course.start.slice(0, 4)), countyCode: tree.county.code,
    },
    disabilityGrade: grade,
    applicant: { education: 'junior_secondary', selfCare: true },
    settings: TRAINING_DEFAULTS,
    openedBy: { id: actors.villager.id, name: 'villager', role: 'village_caseworker', orgPath: tree.villageA1.path },
  };
  const handle = await env.client.workflow.start('trainingCaseWorkflow', { args: [input], taskQueue: TQ, workflowId: caseWorkflowId(caseId) });
  return { h: handle, caseId, personId: p.id };
}
type Handle = Awaited<ReturnType<typeof start>>['h'];

async function view(h: Handle): Promise<CaseView> {
  return h.query(caseViewQuery);
}

async function openTask(h: Handle, step: string) {
  for (let i = 0; i < 100; i++) {
    const v = await view(h);
    const t = v.openTasks.find((x) => x.step === step);
    if (t) return t;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no open task ${step} (at ${(await view(h)).step})`);
}

async function act(h: Handle, step: string, who: Actor, action: TaskActionInput['action'], extra: Partial<TaskActionInput> = {}) {
  const t = await openTask(h, step);
  return h.executeUpdate(taskActionUpdate, { args: [{ taskId: t.taskId, action, actor: who, ...extra }] });
}
const submit = (h: Handle, step: string, who: Actor, data: Record<string, unknown>) => act(h, step, who, 'submit', { data });

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err: any) {
    return `${err?.cause?.type ?? err?.type}: ${err?.cause?.message ?? err?.message}`;
  }
  throw new Error('expected a refusal');
}

async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Approval, attendance (each period from its last day) and the assessment of a course already running. */
async function throughTraining(h: Handle, course: CourseRow, hoursPerPeriod: number[], assessment: Record<string, unknown>) {
  await act(h, 'county_approval', actors.county1, 'approve');
  const periods = Math.ceil((Date.parse(course.end) - Date.parse(course.start) + DAY) / (14 * DAY));
  for (let i = 0; i < periods; i++) {
    const last = i === periods - 1 ? course.end : addDays(course.start, 14 * i + 13);
    await sleepUntil(midnight(last) + 60_000);
    await submit(h, 'attendance', actors.teacher, { hours: hoursPerPeriod[i] ?? 0 });
  }
  await submit(h, 'assessment', actors.teacher, assessment);
}

/** Skips to the window of a retention visit `days` after the placement started and records it. */
async function retention(h: Handle, step: string, startDate: string, windowDays: number, data: Record<string, unknown>) {
  await sleepUntil(midnight(addDays(startDate, windowDays)) + 60_000);
  await submit(h, step, actors.villager, data);
}

/** With RECORD_HISTORIES=1 the histories are saved for the replay gate (test/replay/histories/training-*.json). */
async function record(h: Handle, name: string) {
  if (!process.env.RECORD_HISTORIES) return;
  const history = await h.fetchHistory();
  writeFileSync(join(__dirname, '..', 'replay', 'histories', `training-${name}.json`), historyToJSON(history));
}

// ---- the paths ---------------------------------------------------------------------------------

test('a trainee from enrolment to 12 months of stable employment at a quota employer (grade 2 counts double)', async () => {
  const today = await envToday();
  const course = await createCourse({ start: addDays(today, 3), end: addDays(today, 30), hours: 100, places: 10, fee: 1800 });
  const { h, caseId } = await start(course, 2);

  // The county may return the enrolment to the recruiter for information, then approves.
  await act(h, 'county_approval', actors.county1, 'return', { reason: '请补充学历证明' });
  const sup = await openTask(h, 'county_approval_supplement');
  expect(sup.assigneeUserId).toBe(actors.villager.id);
  await submit(h, 'county_approval_supplement', actors.villager, { note: '已补充初中毕业证' });
  await act(h, 'county_approval', actors.county1, 'approve');
  await waitFor(async () => (await view(h)).step === 'awaiting_course');

  // Two periods of 14 days; a period's hours only from its last day; at most course hours + 10 %.
  await sleepUntil(midnight(course.start) + 60_000);
  const first = await openTask(h, 'attendance');
  expect(first.partnerId).toBe(institutionId);
  expect(await refusal(submit(h, 'attendance', actors.teacher, { hours: 50 }))).toMatch(/INVALID_DECISION: 本期课时须在本期最后一天（.*）起登记.* \/ .*last day/);
  expect(await refusal(submit(h, 'attendance', actors.villager, { hours: 50 }))).toMatch(/FOREIGN_TASK/);
  await sleepUntil(midnight(addDays(course.start, 13)) + 60_000);
  await submit(h, 'attendance', actors.teacher, { hours: 52 });
  await sleepUntil(midnight(course.end) + 60_000);
  expect(await refusal(submit(h, 'attendance', actors.teacher, { hours: 59 }))).toMatch(/^INVALID_DECISION: 课时最多 58：.* \/ hours must be at most 58:/);
  await submit(h, 'attendance', actors.teacher, { hours: 46 });

  // Assessment with a skills certificate.
  expect(await refusal(submit(h, 'assessment', actors.teacher, { passed: false, certificate: { number: 'ZS-0001', level: 'level5' } }))).toMatch(/只有考核通过的学员才能登记证书 \/ a certificate can only be recorded for a trainee who passed/);
  await submit(h, 'assessment', actors.teacher, { passed: true, score: 88, certificate: { number: 'ZS-2026-0001', level: 'level5' } });

  // Placement: the county matches a quota employer's position, the trainee accepts, the employer signs.
  await submit(h, 'job_match', actors.county1, { channel: 'quota_employer', employerId, positionId });
  await submit(h, 'offer_response', actors.villager, { accepted: true });
  const startDate = await envToday();
  await submit(h, 'contract', actors.hr, { signed: true, startDate, contractMonths: 24, monthlyPay: 2600, socialInsurance: true });
  const placed = await waitFor(async () => ((await view(h)).data.placement as any) ?? null);
  expect(placed).toMatchObject({ channel: 'quota_employer', countsTowardQuota: true, quotaWeight: 2, quotaReasons: [] });

  // Retention: "still employed" only from each visit's window; 3, 6 and 12 months.
  expect(await refusal(submit(h, 'retention_3m', actors.villager, { employed: true }))).toMatch(/“就业3个月回访”的在岗情况须在 \S+ 起确认 \/ employment for retention_3m can be confirmed from/);
  await retention(h, 'retention_3m', startDate, 76, { employed: true, monthlyPay: 2600 });
  await retention(h, 'retention_6m', startDate, 166, { employed: true });
  await retention(h, 'retention_12m', startDate, 351, { employed: true, note: '已转正' });
  expect(await h.result()).toEqual({ outcome: 'stable_employment' });
  await record(h, 'stable-employment');

  const [row] = await ds.query(`SELECT status, outcome, partner_id FROM case_file WHERE id = $1`, [caseId]);
  expect(row).toMatchObject({ status: 'closed', outcome: 'stable_employment', partner_id: institutionId });
  const [enr] = await ds.query(`SELECT status, hours_attended, passed, certificate_no, certificate_level FROM course_enrolment WHERE case_id = $1`, [caseId]);
  expect(enr).toMatchObject({ status: 'completed', passed: true, certificate_no: 'ZS-2026-0001', certificate_level: 'level5' });
  expect(Number(enr.hours_attended)).toBe(98);
  const [pl] = await ds.query(`SELECT channel, status, counts_toward_quota, quota_weight, contract_months FROM job_placement WHERE case_id = $1`, [caseId]);
  expect(pl).toMatchObject({ channel: 'quota_employer', status: 'stable', counts_toward_quota: true, quota_weight: 2, contract_months: 24 });
  const types = (await ds.query(`SELECT type FROM case_event WHERE case_id = $1 ORDER BY seq`, [caseId])).map((e: any) => e.type);
  for (const t of ['enrolled', 'training_completed', 'certificate_issued', 'offer_made', 'offer_accepted', 'placed']) expect(types).toContain(t);

  const quota = await employerQuota(ds.manager, { id: employerId, name: '测试食品有限公司' }, Number(startDate.slice(0, 4)), startDate, TRAINING_DEFAULTS);
  expect(quota.headcount).toBe(200);
  expect(quota.required).toBe(3);
  const me = quota.staff.find((s) => s.caseId === caseId)!;
  expect(me).toMatchObject({ countsTowardQuota: true, weight: 2 });
});

test('a drop-out frees the place: the first on the waitlist moves in, the next one expires after late entry', async () => {
  const today = await envToday();
  const course = await createCourse({ start: addDays(today, 2), end: addDays(today, 15), hours: 40, places: 1 });
  const a = await start(course);
  const b = await start(course);
  const c = await start(course);
  await act(a.h, 'county_approval', actors.county1, 'approve');
  await waitFor(async () => (await view(a.h)).step === 'awaiting_course');
  await act(b.h, 'county_approval', actors.county1, 'approve');
  await waitFor(async () => (await view(b.h)).step === 'waitlist');
  await act(c.h, 'county_approval', actors.county1, 'approve');
  await waitFor(async () => (await view(c.h)).step === 'waitlist');
  expect((await view(b.h)).data.waitlist).toEqual({ position: 1 });
  expect((await view(c.h)).data.waitlist).toEqual({ position: 2 });

  // Day 2 of the course: A never came; the institution records the drop-out with a reason.
  await sleepUntil(midnight(addDays(course.start, 1)) + 60_000);
  expect(await refusal(submit(a.h, 'attendance', actors.teacher, { hours: 0, dropOut: true }))).toMatch(/退学须填写原因 \/ reason is required for a drop-out/);
  await submit(a.h, 'attendance', actors.teacher, { hours: 2, dropOut: true, reason: '外出务工，自愿退出' });
  expect(await a.h.result()).toEqual({ outcome: 'dropped_out' });
  await record(a.h, 'dropped-out');

  // B is signalled by the drop-out's activity and starts training; C keeps waiting.
  await openTask(b.h, 'attendance');
  expect((await view(c.h)).step).toBe('waitlist');
  const events = await waitFor(async () => {
    const rows = await ds.query(`SELECT type FROM case_event WHERE case_id = $1 ORDER BY seq`, [b.caseId]);
    return rows.some((r: any) => r.type === 'enrolled') ? rows.map((r: any) => r.type) : null;
  });
  expect(events).toEqual(expect.arrayContaining(['waitlisted', 'admitted_from_waitlist', 'enrolled']));

  // C: no place by the late-entry deadline (course start + 7 days).
  await sleepUntil(midnight(addDays(course.start, 8)) + 60_000);
  expect(await c.h.result()).toEqual({ outcome: 'waitlist_expired' });
  const statuses = await ds.query(`SELECT case_id, status, reason FROM course_enrolment WHERE course_id = $1`, [course.id]);
  const by = Object.fromEntries(statuses.map((s: any) => [s.case_id, s]));
  expect(by[a.caseId]).toMatchObject({ status: 'dropped', reason: '外出务工，自愿退出' });
  expect(by[b.caseId].status).toBe('enrolled');
  expect(by[c.caseId].status).toBe('expired');
  await record(c.h, 'waitlist-expired');
  await submit(b.h, 'attendance', actors.teacher, { hours: 8, dropOut: true, reason: '家中有事' });
  expect(await b.h.result()).toEqual({ outcome: 'dropped_out' });
  await record(b.h, 'admitted-from-waitlist');
});

test('a placement lost at 6 months reopens placement; the trainee is re-placed (self-employment) and retained 12 months', async () => {
  const today = await envToday();
  const course = await createCourse({ start: addDays(today, -27), end: today, hours: 60, places: 5 });
  const { h, caseId } = await start(course, 4);
  await throughTraining(h, course, [30, 30], { passed: true, score: 75 });

  // An offer refused, then a public-welfare post accepted.
  await submit(h, 'job_match', actors.county1, { channel: 'quota_employer', employerId, positionId });
  expect(await refusal(submit(h, 'offer_response', actors.villager, { accepted: false }))).toMatch(/不接受推荐时须填写原因 \/ reason is required when the offer is refused/);
  await submit(h, 'offer_response', actors.villager, { accepted: false, reason: '离家太远，需每日往返两小时' });
  const start1 = await envToday();
  await submit(h, 'job_match', actors.county1, { channel: 'public_welfare', postName: '村道保洁公益性岗位', monthlyPay: 1500, startDate: start1 });
  await submit(h, 'offer_response', actors.villager, { accepted: true });
  await retention(h, 'retention_3m', start1, 76, { employed: true });

  // At the 6-month visit: the post ended in month 5.
  const lostOn = addDays(start1, 150);
  await sleepUntil(midnight(addDays(start1, 160)));
  expect(await refusal(submit(h, 'retention_6m', actors.villager, { employed: false, reason: '岗位到期' }))).toMatch(/失业时须填写离岗日期.* \/ lostOn/);
  await submit(h, 'retention_6m', actors.villager, { employed: false, lostOn, reason: '公益性岗位期满未续' });
  await openTask(h, 'job_match');
  expect((await view(h)).step).toBe('job_match');

  // Re-placed: self-employment support (a business licence, support within the ceiling).
  const start2 = await envToday();
  expect(await refusal(submit(h, 'job_match', actors.county1, { channel: 'self_employment', businessName: '小卖部', businessLicence: '92510000MA1234567X', supportAmount: 50000, startDate: start2 }))).toMatch(/扶持金额须在 0–\d+ 元之间 \/ supportAmount/);
  await submit(h, 'job_match', actors.county1, { channel: 'self_employment', businessName: '便民小卖部', businessLicence: '92510000MA1234567X', supportAmount: 8000, startDate: start2 });
  await retention(h, 'retention_3m', start2, 76, { employed: true });
  await retention(h, 'retention_6m', start2, 166, { employed: true });
  await retention(h, 'retention_12m', start2, 351, { employed: true });
  expect(await h.result()).toEqual({ outcome: 'stable_employment' });
  await record(h, 'replaced-after-6m');

  const rows = await ds.query(`SELECT id, channel, status, to_char(end_date,'YYYY-MM-DD') AS end_date, end_reason, counts_toward_quota FROM job_placement WHERE case_id = $1 ORDER BY id`, [caseId]);
  expect(rows).toEqual([
    { id: `${caseId}-p1`, channel: 'public_welfare', status: 'ended', end_date: lostOn, end_reason: '公益性岗位期满未续', counts_toward_quota: false },
    { id: `${caseId}-p2`, channel: 'self_employment', status: 'stable', end_date: null, end_reason: null, counts_toward_quota: false },
  ]);
  const types = (await ds.query(`SELECT type FROM case_event WHERE case_id = $1 ORDER BY seq`, [caseId])).map((e: any) => e.type);
  expect(types).toEqual(expect.arrayContaining(['offer_refused', 'job_lost', 'self_employment_supported']));
});

test('a 6-month contract does not count toward the quota (reason recorded); the quota view says why', async () => {
  const today = await envToday();
  const course = await createCourse({ start: addDays(today, -13), end: today, hours: 40, places: 5 });
  const { h, caseId } = await start(course, 1);
  await throughTraining(h, course, [40], { passed: true });
  await submit(h, 'job_match', actors.county1, { channel: 'quota_employer', employerId });
  await submit(h, 'offer_response', actors.villager, { accepted: true });
  const startDate = await envToday();
  await submit(h, 'contract', actors.hr, { signed: true, startDate, contractMonths: 6, monthlyPay: 2600, socialInsurance: true });
  await openTask(h, 'retention_3m');
  const placement = (await view(h)).data.placement as any;
  expect(placement).toMatchObject({ countsTowardQuota: false, quotaWeight: 0, quotaReasons: ['contract_too_short'] });
  // The job ends early (reported at once, not only at a visit); no other placement is possible.
  await submit(h, 'retention_3m', actors.villager, { employed: false, lostOn: startDate, reason: '试用期未通过' });
  await submit(h, 'job_match', actors.county1, { channel: 'none', reason: '本人外出务工，不再需要安置' });
  expect(await h.result()).toEqual({ outcome: 'not_employed' });
  await record(h, 'contract-6-months');

  const [pl] = await ds.query(`SELECT counts_toward_quota, quota_weight, quota_reasons, status FROM job_placement WHERE case_id = $1`, [caseId]);
  expect(pl).toEqual({ counts_toward_quota: false, quota_weight: 0, quota_reasons: ['contract_too_short'], status: 'ended' });
  const quota = await employerQuota(ds.manager, { id: employerId, name: '测试食品有限公司' }, Number(startDate.slice(0, 4)), startDate, TRAINING_DEFAULTS);
  const mine = quota.staff.find((s) => s.caseId === caseId)!;
  expect(mine).toMatchObject({ countsTowardQuota: false, weight: 0, contractMonths: 6 });
  expect(mine.reasons.map((r) => r.code)).toEqual(['contract_too_short']);
});

test('a course below the thresholds (pass 33 %, employment 33 %) pays the institution per employed trainee only', async () => {
  const today = await envToday();
  const course = await createCourse({ start: addDays(today, -13), end: today, hours: 40, places: 3, fee: 2500 });
  const t1 = await start(course);
  const t2 = await start(course);
  const t3 = await start(course);

  // T1 passes and is placed (self-employment).
  await throughTraining(t1.h, course, [40], { passed: true, score: 81 });
  await submit(t1.h, 'job_match', actors.county1, { channel: 'self_employment', businessName: '电商网店', businessLicence: '92510000MA7654321Y', supportAmount: 5000, startDate: today });
  await openTask(t1.h, 'retention_3m');

  // T2 is short of hours: make-up of at most 10 % of the course, then fails and finds no job.
  await act(t2.h, 'county_approval', actors.county1, 'approve');
  await submit(t2.h, 'attendance', actors.teacher, { hours: 33 });
  expect(await refusal(submit(t2.h, 'attendance_extension', actors.teacher, { hours: 5 }))).toMatch(/课时最多 4：.* \/ hours must be at most 4:/);
  await submit(t2.h, 'attendance_extension', actors.teacher, { hours: 4 });
  await submit(t2.h, 'assessment', actors.teacher, { passed: false, score: 52 });
  await submit(t2.h, 'job_match', actors.county1, { channel: 'none', reason: '本人暂不愿就业，需照顾家中老人' });
  expect(await t2.h.result()).toEqual({ outcome: 'not_employed' });

  // T3 drops out.
  await act(t3.h, 'county_approval', actors.county1, 'approve');
  await submit(t3.h, 'attendance', actors.teacher, { hours: 6, dropOut: true, reason: '身体原因无法坚持' });
  expect(await t3.h.result()).toEqual({ outcome: 'dropped_out' });

  const pay = await waitFor(async () => {
    const p = await coursePayment(ds.manager, { id: course.id, name: course.name, institutionName: '测试培训学校', feePerTrainee: 2500 }, TRAINING_DEFAULTS);
    return p.settled ? p : null;
  });
  expect(pay).toMatchObject({ cohort: 3, passed: 1, employed: 1, droppedOut: 1, basis: 'per_employed_trainee', amount: 2500, settled: true });
  expect(pay.passRate).toBeCloseTo(0.3333, 3);
  expect(pay.reasons.map((r) => r.code)).toEqual(['pass_rate', 'employment_rate']);
  await record(t2.h, 'failed-not-employed');
  await submit(t1.h, 'retention_3m', actors.villager, { employed: false, lostOn: today, reason: '网店停业' });
  await submit(t1.h, 'job_match', actors.county1, { channel: 'none', reason: '本人转为务农' });
  expect(await t1.h.result()).toEqual({ outcome: 'not_employed' });
  await record(t1.h, 'self-employed-then-none');
});
