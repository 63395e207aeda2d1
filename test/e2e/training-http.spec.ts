/**
 * One training cohort over HTTP on the real stack (api + worker in-process, Temporal dev server,
 * Postgres, Redis): the county plans a course with an institution, an employer posts a position;
 * village staff recruit four trainees (refusals explained), the county approves, the fourth waits;
 * the institution records attendance, a drop-out moves the waitlisted trainee in; assessment and
 * certificate; placement through a quota employer and a public-welfare post; then the institution
 * payment, the employer's quota and the reports feed. A second cohort, on last year's course (jobs
 * started ~380 days ago, as the demo seed does, so the visits are due today), goes through the 3-,
 * 6- and 12-month retention visits to stable employment, loses a job and is re-placed, meets both
 * payment thresholds (full payment) and is counted in the employer's quota by months employed.
 */
import { Client, Harness, startHarness } from '../setup/harness';
import { createPerson, createTree, setPersonCert, shanghaiDay, Tree } from '../setup/fixtures';

let h: Harness;
let tree: Tree;
let u: Record<string, Client>;
let institutionId: string;
let employerId: string;

async function person(opts: { category?: number; grade?: number; cert?: boolean } = {}, village = tree.villageA1) {
  const p = await createPerson(h.ds, village.code, village.path, { birth: '1992-04-18' });
  if (opts.cert !== false) {
    const category = opts.category ?? 4;
    const grade = opts.grade ?? 3;
    await setPersonCert(h.ds, p.id, `${p.residentId}${category}${grade}`, { category, grade });
  }
  return p;
}

beforeAll(async () => {
  h = await startHarness('training');
  tree = await createTree(h.ds);
  u = {
    villager: await h.user('village_caseworker', tree.villageA1.code),
    township: await h.user('township_officer', tree.townshipA.code),
    county1: await h.user('county_officer', tree.county.code),
    manager: await h.user('manager', tree.county.code),
  };
  const partner = async (name: string, kind: string, services: string[]) => {
    const r = await u.county1.post('/partners', { name, kind, orgUnitCode: tree.county.code, services, capacity: 80, agreementStart: shanghaiDay(-365), agreementEnd: shanghaiDay(365) });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  institutionId = await partner('测试县职业技能培训学校', 'training_institution', ['vocational_training']);
  employerId = await partner('测试县湖鲜食品有限公司', 'employer', ['job_placement']);
  u.teacher = await h.user('partner_staff', tree.county.code, institutionId);
  u.hr = await h.user('partner_staff', tree.county.code, employerId);
});
afterAll(async () => h?.close());

async function caseDetail(c: Client, caseId: string) {
  return (await c.get(`/cases/${caseId}`)).body;
}

async function openTask(c: Client, caseId: string, step: string) {
  for (let i = 0; i < 150; i++) {
    const d = await caseDetail(c, caseId);
    const t = d?.tasks?.find((x: any) => x.step === step && x.status === 'open');
    if (t) return t;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`task ${step} never opened`);
}

async function decide(c: Client, caseId: string, step: string, body: any, expected = 200) {
  const t = await openTask(c, caseId, step);
  const r = await c.post(`/cases/${caseId}/tasks/${t.taskId}/decision`, body);
  if (r.status !== expected) throw new Error(`${step}: expected ${expected}, got ${r.status} ${JSON.stringify(r.body)}`);
  return r;
}

/**
 * Months of `year` in which a placement from `start` to `end` (null: still running) was held up to
 * `asOf`, checked month by month: the test's own oracle for the quota count (monthly average).
 */
function monthsHeld(start: string, end: string | null, year: number, asOf: string): number {
  let n = 0;
  for (let m = 1; m <= 12; m++) {
    const first = `${year}-${String(m).padStart(2, '0')}-01`;
    const last = new Date(Date.UTC(year, m, 0)).toISOString().slice(0, 10);
    if (first <= asOf && start <= last && (end ?? asOf) >= first) n++;
  }
  return n;
}
const round2 = (x: number) => Math.round(x * 100) / 100;

async function visit(c: Client, caseId: string, step: string, data: Record<string, unknown>, expected = 200) {
  const t = await openTask(c, caseId, step);
  expect(t.kind).toBe('followup');
  const r = await c.post(`/cases/${caseId}/tasks/${t.taskId}/followup`, { data });
  if (r.status !== expected) throw new Error(`${step}: expected ${expected}, got ${r.status} ${JSON.stringify(r.body)}`);
  return r;
}

async function closed(c: Client, caseId: string) {
  return until(async () => {
    const d = await caseDetail(c, caseId);
    return d.case.status === 'closed' ? d : null;
  });
}

async function until<T>(fn: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 150));
  }
}

test('a cohort from the course plan to placement, with payment, quota and the report', async () => {
  const year = Number(shanghaiDay(-6).slice(0, 4));
  // ---- the plan: a one-week course (3 places) and a position ----
  const bad = await u.county1.post('/training/courses', { name: 'x', type: 'ecommerce', orgUnitCode: tree.county.code, institutionId: employerId, startDate: shanghaiDay(-6), endDate: shanghaiDay(0), hours: 40, places: 3, location: '学校' });
  expect(bad.status).toBe(422);
  expect(bad.body.code).toBe('INSTITUTION_INVALID');
  expect((await u.villager.post('/training/courses', {})).status).toBe(403);
  const created = await u.county1.post('/training/courses', {
    name: '电子商务技能培训班', type: 'ecommerce', orgUnitCode: tree.county.code, institutionId,
    startDate: shanghaiDay(-6), endDate: shanghaiDay(0), hours: 40, places: 3, location: '县职业技能培训学校 3 楼', feePerTrainee: 2400,
  });
  expect(created.status).toBe(201);
  const course = created.body;
  expect(course).toMatchObject({ year, places: 3, placesLeft: 3, institutionName: '测试县职业技能培训学校', editable: true });
  const listed = await u.villager.get(`/training/courses?year=${year}`);
  expect(listed.body.items.map((c: any) => c.id)).toContain(course.id); // the caseworker sees the county's courses
  const pos = await u.county1.post('/training/positions', { employerId, title: '网店客服', openings: 2, monthlyPay: 2600, contractMonths: 24, socialInsurance: true });
  expect(pos.status).toBe(201);
  expect((await u.hr.get('/training/positions')).body.items.map((p: any) => p.id)).toEqual([pos.body.id]);

  // ---- recruitment: refusals name their rule ----
  const severe = await person({ category: 6, grade: 2 });
  const refused = await u.villager.post('/cases', { programme: 'training', personId: severe.id, details: { courseId: course.id, education: 'junior_secondary', selfCare: true } });
  expect(refused.status).toBe(422);
  expect(refused.body.details.rules.filter((r: any) => !r.ok).map((r: any) => r.rule)).toEqual(['not_severe_intellectual_psychiatric']);
  const noCert = await person({ cert: false });
  const pre = await u.villager.post('/cases/precheck', { programme: 'training', personId: noCert.id, details: { courseId: course.id } });
  expect(pre.body.eligible).toBe(false);
  expect(pre.body.rules.filter((r: any) => !r.ok).map((r: any) => r.rule)).toEqual(['certificate', 'education', 'self_care']);
  const someone = await person();
  expect((await u.county1.post('/cases', { programme: 'training', personId: someone.id, details: { courseId: course.id, education: 'primary', selfCare: true } })).status).toBe(403);

  const people = [await person({ grade: 3 }), await person({ grade: 4 }), await person(), await person()];
  const cases: string[] = [];
  for (const [i, p] of people.entries()) {
    const r = await (i % 2 ? u.township : u.villager).post('/cases', { programme: 'training', personId: p.id, details: { courseId: course.id, education: 'senior_secondary', selfCare: true } });
    expect(r.status).toBe(201);
    expect(r.body.caseNo).toMatch(/^TRN-\d{4}-\d{6}$/);
    cases.push(r.body.caseId);
  }
  const [c1, c2, c3, c4] = cases;

  // ---- the county approves; the fourth trainee is waitlisted ----
  expect((await decide(u.villager, c1, 'county_approval', { action: 'approve' }, 403)).status).toBe(403);
  for (const [i, c] of cases.entries()) {
    await decide(u.county1, c, 'county_approval', { action: 'approve' });
    await until(async () => (await u.county1.get(`/training/courses/${course.id}`)).body.trainees.length === i + 1);
  }
  const roster = (await u.county1.get(`/training/courses/${course.id}`)).body;
  expect(roster).toMatchObject({ taken: 3, waiting: 1, placesLeft: 0 });
  expect(roster.trainees.find((t: any) => t.caseId === c4)).toMatchObject({ status: 'waiting', waitlistPosition: 1 });
  expect((await caseDetail(u.county1, c4)).case.step).toBe('waitlist');

  // ---- attendance by the institution; a drop-out moves the waitlisted trainee in ----
  const inbox = await u.teacher.get('/inbox?programme=training');
  expect(inbox.body.items.filter((t: any) => t.step === 'attendance').length).toBe(3);
  await decide(u.teacher, c3, 'attendance', { action: 'submit', data: { hours: 3, dropOut: true, reason: '外出务工' } });
  await openTask(u.teacher, c4, 'attendance'); // moved in through the signal from the drop-out's activity
  const tooMany = await decide(u.teacher, c1, 'attendance', { action: 'submit', data: { hours: 45 } }, 422);
  expect(tooMany.body.message).toMatch(/^课时最多 44：.* \/ hours must be at most 44:/);
  await decide(u.teacher, c1, 'attendance', { action: 'submit', data: { hours: 40 } });
  await decide(u.teacher, c2, 'attendance', { action: 'submit', data: { hours: 38 } });
  await decide(u.teacher, c4, 'attendance', { action: 'submit', data: { hours: 36 } });

  // ---- assessment ----
  await decide(u.teacher, c1, 'assessment', { action: 'submit', data: { passed: true, score: 90, certificate: { number: 'DS-2026-0001', level: 'level5' } } });
  await decide(u.teacher, c2, 'assessment', { action: 'submit', data: { passed: true, score: 78 } });
  await decide(u.teacher, c4, 'assessment', { action: 'submit', data: { passed: false, score: 55 } });

  // ---- placement: quota employer (offer, acceptance, contract) and a public-welfare post ----
  await decide(u.county1, c1, 'job_match', { action: 'submit', data: { channel: 'quota_employer', employerId, positionId: pos.body.id } });
  await decide(u.villager, c1, 'offer_response', { action: 'submit', data: { accepted: true } });
  expect((await u.hr.get(`/cases/${c1}`)).status).toBe(200); // the employer sees the case it has a task on
  await decide(u.hr, c1, 'contract', { action: 'submit', data: { signed: true, startDate: shanghaiDay(0), contractMonths: 24, monthlyPay: 2600, socialInsurance: true } });
  await decide(u.county1, c2, 'job_match', { action: 'submit', data: { channel: 'public_welfare', postName: '社区助残服务岗', monthlyPay: 1800, startDate: shanghaiDay(0) } });
  await decide(u.villager, c2, 'offer_response', { action: 'submit', data: { accepted: true } });
  await decide(u.county1, c4, 'job_match', { action: 'submit', data: { channel: 'none', reason: '本人暂不就业' } });
  const t1 = await openTask(u.villager, c1, 'retention_3m');
  expect(t1.kind).toBe('followup');
  const early = await u.villager.post(`/cases/${c1}/tasks/${t1.taskId}/followup`, { data: { employed: true } });
  expect(early.status).toBe(422); // stability is confirmed only in the 3-month window
  await openTask(u.villager, c2, 'retention_3m');
  const d4 = await until(async () => {
    const d = await caseDetail(u.county1, c4);
    return d.case.status === 'closed' ? d : null;
  });
  expect(d4.case.outcome).toBe('not_employed');
  const d1 = await caseDetail(u.county1, c1);
  expect(d1.case.data.placement).toMatchObject({ channel: 'quota_employer', countsTowardQuota: true, quotaWeight: 1 });
  expect(d1.timeline.map((e: any) => e.type)).toEqual(expect.arrayContaining(['enrolled', 'certificate_issued', 'offer_accepted', 'placed']));
  expect((await caseDetail(u.county1, c3)).case.outcome).toBe('dropped_out');

  // ---- institution payment: pass 50 %, employment 50 % → per employed trainee ----
  const pay = await until(async () => {
    const r = await u.county1.get(`/training/courses/${course.id}/payment`);
    return r.body.settled ? r : null;
  });
  expect(pay.body).toMatchObject({ cohort: 4, passed: 2, employed: 2, droppedOut: 1, basis: 'per_employed_trainee', amount: 4800, feePerTrainee: 2400 });
  expect((await u.teacher.get(`/training/courses/${course.id}/payment`)).status).toBe(200); // the institution sees its own
  expect((await u.villager.get(`/training/courses/${course.id}/payment`)).status).toBe(403);

  // ---- employer quota ----
  expect((await u.county1.put(`/training/employers/${employerId}/profile`, { headcount: 120 })).status).toBe(200);
  const quota = await u.hr.get(`/training/employers/${employerId}/quota?year=${Number(shanghaiDay(0).slice(0, 4))}`);
  expect(quota.status).toBe(200);
  // Placed today: one month of the year so far (1/12 of a person), the rest of the year if it holds.
  const thisYear = Number(shanghaiDay(0).slice(0, 4));
  const byYearEnd = round2(monthsHeld(shanghaiDay(0), null, thisYear, `${thisYear}-12-31`) / 12);
  expect(quota.body).toMatchObject({ headcount: 120, quotaRate: 0.015, required: 1.8, counted: 0.08, shortfall: 1.72, met: false });
  expect(quota.body.projectedByYearEnd).toEqual({ counted: byYearEnd, required: 1.8, shortfall: round2(Math.max(0, 1.8 - byYearEnd)), met: false });
  expect(quota.body.staff).toHaveLength(1);
  expect(quota.body.staff[0]).toMatchObject({ caseId: c1, weight: 1, monthsInYear: 1, credit: 0.08 });
  expect((await u.villager.get(`/training/employers/${employerId}/quota`)).status).toBe(403);

  // ---- the reports feed ----
  const rep = await u.manager.get(`/training/report?year=${year}&orgUnitCode=${tree.county.code}`);
  expect(rep.status).toBe(200);
  expect(rep.body.totals).toEqual({
    enrolled: 4, trained: 3, droppedOut: 1, passed: 2, certified: 1,
    employed: { total: 2, quota_employer: 1, public_welfare: 1, self_employment: 0 }, retained12m: 0,
  });
  expect(rep.body.byCourse).toHaveLength(1);
  expect(rep.body.byInstitution[0]).toMatchObject({ institutionId, institutionName: '测试县职业技能培训学校', enrolled: 4 });
  expect(rep.body.byCounty[0]).toMatchObject({ orgUnitCode: tree.county.code, trained: 3 });
  // The yearly report, by the dates of the events (all today), counts the same trainees.
  const yearly = await u.manager.get(`/reports/yearly?year=${shanghaiDay(0).slice(0, 4)}&orgUnitCode=${tree.county.code}`);
  expect(yearly.status).toBe(200);
  const tf = Object.fromEntries(yearly.body.programmes.find((p: any) => p.programme === 'training').figures.map((f: any) => [f.key, f.value]));
  expect(tf).toMatchObject({
    registered: 4, approved: 4, enrolled: 4, trained: 3, dropped_out: 1, certified: 1,
    employed: 2, employed_quota_employer: 1, employed_public_welfare: 1, employed_self_employment: 0, retained_12m: 0, employment_rate: 66.7,
  });
  const t = rep.body.totals;
  expect([tf.enrolled, tf.trained, tf.certified, tf.employed, tf.employed_quota_employer, tf.employed_public_welfare]).toEqual([t.enrolled, t.trained, t.certified, t.employed.total, t.employed.quota_employer, t.employed.public_welfare]);

  // ---- scope: another county sees nothing of it ----
  const other = await createTree(h.ds);
  const stranger = await h.user('county_officer', other.county.code);
  expect((await stranger.get(`/training/courses/${course.id}`)).status).toBe(404);
  expect((await stranger.get(`/training/report?year=${year}`)).body.totals.enrolled).toBe(0);
  // dates can no longer move once trainees are on the course; more places are fine
  expect((await u.county1.put(`/training/courses/${course.id}`, { hours: 60 })).status).toBe(409);
  expect((await u.county1.put(`/training/courses/${course.id}`, { places: 4, status: 'closed' })).body).toMatchObject({ places: 4, status: 'closed' });
});

test('more places on a full course move the waitlist in (the api signals the waiting case)', async () => {
  const c = await u.county1.post('/training/courses', {
    name: '农村实用技术培训班', type: 'rural_practical', orgUnitCode: tree.county.code, institutionId,
    startDate: shanghaiDay(-1), endDate: shanghaiDay(6), hours: 30, places: 1, location: '乙镇农技站',
  });
  expect(c.status).toBe(201);
  const ids: string[] = [];
  for (const p of [await person(), await person()]) {
    const r = await u.villager.post('/cases', { programme: 'training', personId: p.id, details: { courseId: c.body.id, education: 'primary', selfCare: true } });
    expect(r.status).toBe(201);
    ids.push(r.body.caseId);
    await decide(u.county1, r.body.caseId, 'county_approval', { action: 'approve' });
    await until(async () => (await u.county1.get(`/training/courses/${c.body.id}`)).body.trainees.length === ids.length);
  }
  await until(async () => (await caseDetail(u.county1, ids[1])).case.step === 'waitlist');
  const more = await u.county1.put(`/training/courses/${c.body.id}`, { places: 2 });
  expect(more.status).toBe(200);
  expect(more.body).toMatchObject({ places: 2, taken: 2, waiting: 0 });
  await openTask(u.teacher, ids[1], 'attendance');
  expect((await u.county1.put(`/training/courses/${c.body.id}`, { places: 1 })).status).toBe(409); // below the places taken
});

test("last year's cohort: 3/6/12-month retention to stable employment, a lost job re-placed, full payment, quota by months", async () => {
  // Its own county, so the report, the payment and the quota hold this cohort only.
  const t2 = await createTree(h.ds);
  const v: Record<string, Client> = {
    villager: await h.user('village_caseworker', t2.villageA1.code),
    county: await h.user('county_officer', t2.county.code),
    manager: await h.user('manager', t2.county.code),
  };
  const partner = async (name: string, kind: string, services: string[]) => {
    const r = await v.county.post('/partners', { name, kind, orgUnitCode: t2.county.code, services, capacity: 80, agreementStart: shanghaiDay(-500), agreementEnd: shanghaiDay(365) });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  const school = await partner('测试县残疾人职业培训中心', 'training_institution', ['vocational_training']);
  const factory = await partner('测试县服装有限公司', 'employer', ['job_placement']);
  v.teacher = await h.user('partner_staff', t2.county.code, school);
  v.hr = await h.user('partner_staff', t2.county.code, factory);

  // Last year's two-week course (back-filled: enrolment stays open while the county keeps it open).
  const courseStart = shanghaiDay(-420);
  const courseYear = Number(courseStart.slice(0, 4));
  const created = await v.county.post('/training/courses', {
    name: '服装缝纫技能培训班', type: 'employment_skills', orgUnitCode: t2.county.code, institutionId: school,
    startDate: courseStart, endDate: shanghaiDay(-407), hours: 40, places: 5, location: '培训中心实训车间', feePerTrainee: 2000,
  });
  expect(created.status).toBe(201);
  const course = created.body;
  const pos = await v.county.post('/training/positions', { employerId: factory, title: '缝纫工', openings: 2, monthlyPay: 2600, contractMonths: 24, socialInsurance: true });
  expect(pos.status).toBe(201);

  const people = [];
  for (const grade of [2, 3, 3, 4, 3]) people.push(await person({ grade }, t2.villageA1));
  const ids: string[] = [];
  for (const p of people) {
    const r = await v.villager.post('/cases', { programme: 'training', personId: p.id, details: { courseId: course.id, education: 'junior_secondary', selfCare: true } });
    expect(r.status).toBe(201);
    ids.push(r.body.caseId);
    await decide(v.county, r.body.caseId, 'county_approval', { action: 'approve' });
    await until(async () => (await v.county.get(`/training/courses/${course.id}`)).body.trainees.length === ids.length);
  }
  const [k1, k2, k3, k4, k5] = ids;
  for (const c of ids) await decide(v.teacher, c, 'attendance', { action: 'submit', data: { hours: 40 } });
  await decide(v.teacher, k1, 'assessment', { action: 'submit', data: { passed: true, score: 92, certificate: { number: 'FZ-2025-0007', level: 'level5' } } });
  for (const c of [k2, k3, k4]) await decide(v.teacher, c, 'assessment', { action: 'submit', data: { passed: true, score: 80 } });
  await decide(v.teacher, k5, 'assessment', { action: 'submit', data: { passed: false, score: 48 } });

  // ---- placements, back-dated like the demo seed so that the visits are due today ----
  const yearAgo = shanghaiDay(-380);
  await decide(v.county, k1, 'job_match', { action: 'submit', data: { channel: 'quota_employer', employerId: factory, positionId: pos.body.id } });
  await decide(v.villager, k1, 'offer_response', { action: 'submit', data: { accepted: true } });
  await decide(v.hr, k1, 'contract', { action: 'submit', data: { signed: true, startDate: yearAgo, contractMonths: 24, monthlyPay: 2600, socialInsurance: true } });
  await decide(v.county, k2, 'job_match', { action: 'submit', data: { channel: 'public_welfare', postName: '村级残疾人协理员', monthlyPay: 1900, startDate: yearAgo } });
  await decide(v.villager, k2, 'offer_response', { action: 'submit', data: { accepted: true } });
  const firstJob = shanghaiDay(-300);
  await decide(v.county, k3, 'job_match', { action: 'submit', data: { channel: 'quota_employer', employerId: factory, positionId: pos.body.id } });
  await decide(v.villager, k3, 'offer_response', { action: 'submit', data: { accepted: true } });
  await decide(v.hr, k3, 'contract', { action: 'submit', data: { signed: true, startDate: firstJob, contractMonths: 12, monthlyPay: 2400, socialInsurance: true } });
  await decide(v.county, k4, 'job_match', {
    action: 'submit', data: { channel: 'self_employment', businessName: '便民缝补店', businessLicence: 'GT2025000731', supportAmount: 5000, monthlyPay: 2000, startDate: shanghaiDay(-200) },
  });
  await decide(v.county, k5, 'job_match', { action: 'submit', data: { channel: 'none', reason: '本人在家务农，暂不就业' } });

  // ---- retention: 3, 6 and 12 months after the start → stable employment ----
  for (const c of [k1, k2]) {
    await visit(v.villager, c, 'retention_3m', { employed: true, monthlyPay: 2600 });
    await visit(v.villager, c, 'retention_6m', { employed: true });
    await visit(v.villager, c, 'retention_12m', { employed: true, note: '入户回访，连续就业满12个月' });
    const d = await closed(v.county, c);
    expect(d.case.outcome).toBe('stable_employment');
    expect(Object.keys(d.case.data.retention).sort()).toEqual(['retention_12m', 'retention_3m', 'retention_6m', 'round']);
  }
  // ---- a job lost at the 6-month visit reopens placement; re-placed with the same employer ----
  const lostOn = shanghaiDay(-120);
  await visit(v.villager, k3, 'retention_3m', { employed: true });
  await visit(v.villager, k3, 'retention_6m', { employed: false, lostOn: shanghaiDay(1), reason: '企业减员' }, 422); // not in the future
  await visit(v.villager, k3, 'retention_6m', { employed: false, lostOn, reason: '企业减员 / laid off' });
  const secondJob = shanghaiDay(-20);
  await decide(v.county, k3, 'job_match', { action: 'submit', data: { channel: 'quota_employer', employerId: factory, positionId: pos.body.id } });
  await decide(v.villager, k3, 'offer_response', { action: 'submit', data: { accepted: true } });
  await decide(v.hr, k3, 'contract', { action: 'submit', data: { signed: true, startDate: secondJob, contractMonths: 12, monthlyPay: 2500, socialInsurance: true } });
  await openTask(v.villager, k3, 'retention_3m');
  const d3 = await caseDetail(v.county, k3);
  expect(d3.case.status).toBe('open');
  expect(d3.case.data.placements.map((p: any) => [p.round, p.startDate, p.endDate ?? null])).toEqual([[1, firstJob, lostOn], [2, secondJob, null]]);
  expect(d3.timeline.map((e: any) => e.type)).toEqual(expect.arrayContaining(['job_lost', 'placed']));
  await openTask(v.villager, k4, 'retention_3m');
  expect((await closed(v.county, k5)).case.outcome).toBe('not_employed');

  // ---- institution payment: pass 4/5 = 80 %, employment 4/5 = 80 % → the full fee for the cohort ----
  const pay = await until(async () => {
    const r = await v.county.get(`/training/courses/${course.id}/payment`);
    return r.body.settled ? r : null;
  });
  expect(pay.status).toBe(200);
  expect(pay.body).toMatchObject({
    courseId: course.id, cohort: 5, passed: 4, employed: 4, droppedOut: 0, passRate: 0.8, employmentRate: 0.8,
    thresholds: { passRate: 0.8, employmentRate: 0.7 }, feePerTrainee: 2000, basis: 'full', amount: 10000, reasons: [], settled: true, pending: 0,
  });
  expect((await v.teacher.get(`/training/courses/${course.id}/payment`)).body).toMatchObject({ basis: 'full', amount: 10000 });

  // ---- reports: retained at 12 months ----
  const rep = await v.manager.get(`/training/report?year=${courseYear}&orgUnitCode=${t2.county.code}`);
  expect(rep.status).toBe(200);
  expect(rep.body.totals).toEqual({
    enrolled: 5, trained: 5, droppedOut: 0, passed: 4, certified: 1,
    employed: { total: 4, quota_employer: 2, public_welfare: 1, self_employment: 1 }, retained12m: 2,
  });
  expect(rep.body.byCourse).toEqual([expect.objectContaining({ courseId: course.id, retained12m: 2 })]);
  expect(rep.body.byInstitution).toEqual([expect.objectContaining({ institutionId: school, retained12m: 2 })]);
  // The yearly report counts stable employment in the year it was confirmed (the cases closed today).
  const thisYear = Number(shanghaiDay(0).slice(0, 4));
  const yearly = await v.manager.get(`/reports/yearly?year=${thisYear}&orgUnitCode=${t2.county.code}`);
  expect(yearly.status).toBe(200);
  const figures = yearly.body.programmes.find((p: any) => p.programme === 'training').figures;
  expect(figures.find((f: any) => f.key === 'retained_12m').value).toBe(2);

  // ---- quota by months employed in the year: Σ weight × months ÷ 12 ----
  expect((await v.county.put(`/training/employers/${factory}/profile`, { headcount: 100 })).status).toBe(200);
  const quota = await v.hr.get(`/training/employers/${factory}/quota?year=${thisYear}`);
  expect(quota.status).toBe(200);
  const today = shanghaiDay(0);
  const held = [
    { caseId: k1, start: yearAgo, end: null, weight: 2 }, // grade 2 counts double
    { caseId: k3, start: firstJob, end: lostOn, weight: 1 },
    { caseId: k3, start: secondJob, end: null, weight: 1 },
  ]
    .map((x) => ({ ...x, months: monthsHeld(x.start, x.end, thisYear, today), byYearEnd: monthsHeld(x.start, x.end, thisYear, `${thisYear}-12-31`) }))
    .filter((x) => x.months > 0);
  const counted = round2(held.reduce((n, x) => n + x.weight * x.months, 0) / 12);
  const projected = round2(held.reduce((n, x) => n + x.weight * x.byYearEnd, 0) / 12);
  expect(quota.body).toMatchObject({ headcount: 100, required: 1.5, counted, shortfall: round2(Math.max(0, 1.5 - counted)), met: counted >= 1.5, notCounted: 0 });
  expect(quota.body.projectedByYearEnd).toEqual({ counted: projected, required: 1.5, shortfall: round2(Math.max(0, 1.5 - projected)), met: projected >= 1.5 });
  expect(quota.body.staff.map((s: any) => [s.caseId, s.startDate, s.endDate, s.weight, s.monthsInYear, s.credit])).toEqual(
    held.map((x) => [x.caseId, x.start, x.end, x.weight, x.months, round2((x.weight * x.months) / 12)]),
  );
  // Not a head count: the two people employed this year at most count their months, never 2 + 1 + 1.
  expect(counted).toBeLessThan(held.reduce((n, x) => n + x.weight, 0));
}, 240_000);
