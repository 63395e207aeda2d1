/**
 * Child rescue rehabilitation over HTTP on the real stack (api + worker in-process, Temporal dev
 * server, Postgres, Redis), one full service year of one case: pre-check (an expired diagnosis and
 * an over-age child refused with their rules), application, county review, placement, intake,
 * ten monthly progress records, end-of-period assessment, a bill refused over the approved amount
 * and one paid, renewal, and the case continuing into the next year (continue-as-new). The county
 * inserts a programme_config version whose compressed calendar makes a month 2 s and the year 50 s;
 * nothing else is shortened or faked. Also: the waitlist endpoint, the switch endpoint, the report,
 * that an institution's staff see only their own children, the child's service year as fields
 * (months allowed, used and left; institution and agreement dates; per approved item the amount
 * settled and remaining), and a waitlist of several children (priority groups first, then the
 * time they joined) moving in that order as places free.
 */
import { TEMPORAL_CLIENT } from '../../src/temporal/temporal-client.module';
import { AesGcmPayloadCodec, parsePiiKeys } from '../../src/temporal/payload-codec';
import type { Payload } from '@temporalio/common';
import type { Client as TemporalClient } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { Client, Harness, startHarness } from '../setup/harness';
import { createHospital, createPerson, createTree, makeResidentId, setPersonCert, shanghaiDay, Tree } from '../setup/fixtures';
import { openTask } from '../setup/waits';

let h: Harness;
let tree: Tree;
let u: Record<string, Client>;
const inst: Record<string, string> = {};
const YEAR = Number(shanghaiDay(0).slice(0, 4));
const MONTH_S = 2;
const YEAR_S = 50;

async function institution(name: string, services: string[], capacity: number | null, countyCode = tree.county.code) {
  const id = randomUUID();
  await h.ds.query(
    `INSERT INTO partner (id, name, kind, org_unit_code, services, capacity, agreement_start, agreement_end, status)
     VALUES ($1,$2,'rehab_institution',$3,$4,$5,'2020-01-01','2099-12-31','active')`,
    [id, `${name}${id.slice(0, 4)}`, countyCode, services, capacity],
  );
  return id;
}

async function childWithGuardian(birth: string, opts: { cert?: string | null; hardship?: string[] } = {}) {
  const p = await createPerson(h.ds, tree.villageA1.code, tree.villageA1.path, { birth, hardship: opts.hardship ?? ['dibao'] });
  await h.ds.query(`UPDATE person SET guardian_name = '刘丽华', guardian_relation = '母亲', guardian_phone = '13900000000' WHERE id = $1`, [p.id]);
  await setPersonCert(h.ds, p.id, opts.cert ?? null);
  return p;
}

beforeAll(async () => {
  h = await startHarness('child-rehab');
  tree = await createTree(h.ds);
  inst.A = await institution('听力康复中心', ['rehab_hearing', 'rehab_speech'], 10);
  inst.B = await institution('孤独症康复中心', ['rehab_autism', 'rehab_hearing'], 10);
  inst.C = await institution('满员康复中心', ['rehab_hearing'], 0);
  inst.hospital = (await createHospital(h.ds, tree.county.code)).id;
  // This county runs the programme on a compressed calendar (month = 2 s, year = 50 s) from today.
  await h.ds.query(
    `INSERT INTO programme_config (programme, org_unit_code, effective_from, version, settings) VALUES ('child_rehab', $1, $2, $3, $4)`,
    [tree.county.code, shanghaiDay(-1), `child_rehab@${tree.county.code}@e2e`, JSON.stringify({ steps: {}, rules: { compressedCalendar: { monthSeconds: MONTH_S, yearSeconds: YEAR_S } } })],
  );
  u = {
    villager: await h.user('village_caseworker', tree.villageA1.code),
    county1: await h.user('county_officer', tree.county.code),
    county2: await h.user('county_officer', tree.county.code),
    staffA: await h.user('partner_staff', tree.county.code, inst.A),
    staffB: await h.user('partner_staff', tree.county.code, inst.B),
    otherVillager: await h.user('village_caseworker', tree.villageB1.code),
  };
});
afterAll(async () => h?.close());

/** The county's child rehabilitation figures in the yearly report, by key. */
async function yearlyRehab(year: number) {
  const r = await u.county1.get(`/reports/yearly?year=${year}&orgUnitCode=${tree.county.code}`);
  expect(r.status).toBe(200);
  return Object.fromEntries(r.body.programmes.find((p: any) => p.programme === 'child_rehab').figures.map((f: any) => [f.key, f.value]));
}

/** The child's service year as the case page reads it. */
async function serviceYear(c: Client, caseId: string) {
  const r = await c.get(`/rehab/cases/${caseId}/service-year`);
  expect(r.status).toBe(200);
  return r.body;
}

async function decide(c: Client, caseId: string, step: string, body: any) {
  const t = await openTask(c, caseId, step);
  const r = await c.post(`/cases/${caseId}/tasks/${t.taskId}/decision`, body);
  return r;
}

const hearingDiagnosis = (date = shanghaiDay(-30)) => ({ hospital: '省儿童医院', date, category: 'hearing' });

test('pre-check: an expired diagnosis and an over-age child are refused, naming the rule and its version', async () => {
  const kid = await childWithGuardian(`${YEAR - 3}-02-02`);
  const expired = await u.villager.post('/cases/precheck', {
    programme: 'child_rehab', personId: kid.id,
    details: { category: 'vision', diagnosis: { hospital: '省眼科医院', date: shanghaiDay(-400), category: 'vision' }, institutionId: inst.A },
  });
  expect(expired.status).toBe(201);
  expect(expired.body.eligible).toBe(false);
  const evidence = expired.body.rules.find((r: any) => r.rule === 'evidence');
  expect(evidence).toMatchObject({ ok: false, version: 'child-rehab-eligibility@2026-01' });
  expect(evidence.messageEn).toMatch(/diagnosis expired/);
  const reg = await u.villager.post('/cases', { programme: 'child_rehab', personId: kid.id, details: { category: 'vision', diagnosis: { hospital: '省眼科医院', date: shanghaiDay(-400), category: 'vision' }, institutionId: inst.A } });
  expect(reg.status).toBe(422);
  expect(reg.body.code).toBe('NOT_ELIGIBLE');
  expect(reg.body.message).toMatch(/诊断已过期/);

  const old = await childWithGuardian(`${YEAR - 8}-02-02`);
  const tooOld = await u.villager.post('/cases/precheck', { programme: 'child_rehab', personId: old.id, details: { category: 'hearing', diagnosis: hearingDiagnosis(), institutionId: inst.A } });
  expect(tooOld.body.rules.find((r: any) => !r.ok).rule).toBe('age');
  // unknown fields in details are a 400, a hospital is not a rehabilitation institution
  expect((await u.villager.post('/cases/precheck', { programme: 'child_rehab', personId: kid.id, details: { category: 'hearing', foo: 1 } })).status).toBe(400);
  const hosp = await u.villager.post('/cases/precheck', { programme: 'child_rehab', personId: kid.id, details: { category: 'hearing', diagnosis: hearingDiagnosis(), institutionId: inst.hospital } });
  expect(hosp.body.rules.find((r: any) => r.rule === 'institution').ok).toBe(false);
});

test('one full service year of a hearing-impaired child, into the next year', async () => {
  const kid = await childWithGuardian(`${YEAR - 3}-07-07`);
  const details = { category: 'hearing', needs: ['hearing_aid'], diagnosis: hearingDiagnosis(), institutionId: inst.A, agent: { name: '刘建平', relation: '舅舅' } };
  const pre = await u.villager.post('/cases/precheck', { programme: 'child_rehab', personId: kid.id, details });
  expect(pre.body.eligible).toBe(true);
  expect(pre.body.rules.map((r: any) => r.rule)).toEqual(['no_open_case', 'age', 'residence', 'category', 'needs', 'evidence', 'guardian', 'institution', 'priority_group']);
  expect(pre.body.priorityGroups).toEqual(['dibao']);
  expect(pre.body.settingsVersion).toBe(`child_rehab@${tree.county.code}@e2e`);
  const started = await u.villager.post('/cases', { programme: 'child_rehab', personId: kid.id, details });
  expect(started.status).toBe(201);
  expect(started.body.caseNo).toMatch(/^CHR-\d{4}-\d{6}$/);
  const caseId = started.body.caseId;
  expect((await u.villager.post('/cases', { programme: 'child_rehab', personId: kid.id, details })).body.details.rules.find((r: any) => !r.ok).rule).toBe('no_open_case');

  // County review: a caseworker cannot approve; the county officer does.
  expect((await decide(u.villager, caseId, 'county_review', { action: 'approve' })).status).toBe(403);
  expect((await decide(u.county1, caseId, 'county_review', { action: 'approve' })).status).toBe(200);

  // Placed at A: the institution's staff see the child and its intake; another institution's do not.
  const intake = await openTask(u.staffA, caseId, 'intake_assessment');
  expect(intake.partnerId).toBe(inst.A);
  expect((await u.staffA.get('/cases?programme=child_rehab')).body.items.map((c: any) => c.caseId)).toContain(caseId);
  expect((await u.staffA.get('/inbox')).body.items.map((t: any) => t.taskId)).toContain(intake.taskId);
  expect((await u.staffB.get('/cases?programme=child_rehab')).body.items.map((c: any) => c.caseId)).not.toContain(caseId);
  expect((await u.staffB.get(`/cases/${caseId}`)).status).toBe(404);
  expect((await u.staffB.get('/inbox')).body.items.map((t: any) => t.taskId)).not.toContain(intake.taskId);
  expect((await u.staffB.post(`/cases/${caseId}/tasks/${intake.taskId}/decision`, { action: 'submit', data: {} })).status).toBe(404);

  const detail = (await u.county1.get(`/cases/${caseId}`)).body;
  const maxMonths = detail.case.data.period.maxMonths;
  expect(maxMonths).toBe(10);

  // The service year as fields, before the intake: the whole cap left, the approved items untouched.
  const atIntake = await serviceYear(u.villager, caseId);
  expect(atIntake).toMatchObject({
    caseId, year: YEAR, caseStatus: 'open', budgetApproved: true, ruleVersion: `child_rehab@${tree.county.code}@e2e`,
    months: { maxPerYear: 10, used: 0, recorded: 0, currentStay: 0, left: 10, period: { allowed: 10, planned: null, months: 0 } },
    institution: { id: inst.A, year: YEAR, outOfArea: false },
    items: [
      { item: 'training', approved: 15000, settled: 0, pending: 0, remaining: 15000, payments: 0 },
      { item: 'hearing_aid', approved: 6000, settled: 0, pending: 0, remaining: 6000, payments: 0 },
    ],
    totals: { approved: 21000, settled: 0, pending: 0, remaining: 21000 },
  });
  expect(atIntake.institution.name).toMatch(/^听力康复中心/);
  const agreed = Date.parse(atIntake.institution.agreementStartedAt);
  expect(agreed).toBeGreaterThan(Date.now() - 120_000);
  expect(agreed).toBeLessThanOrEqual(Date.now() + 1000);
  expect(atIntake.stays).toEqual([expect.objectContaining({ institutionId: inst.A, status: 'active', months: 0, effective: null, endedAt: null })]);
  // The institution's staff read it for their own child; another institution's staff and a caseworker of another village do not.
  expect((await serviceYear(u.staffA, caseId)).months.left).toBe(10);
  expect((await u.staffB.get(`/rehab/cases/${caseId}/service-year`)).status).toBe(404);
  expect((await u.otherVillager.get(`/rehab/cases/${caseId}/service-year`)).status).toBe(404);
  expect((await u.otherVillager.get(`/cases/${caseId}`)).status).toBe(404);
  const bad = await u.staffA.post(`/cases/${caseId}/tasks/${intake.taskId}/decision`, { action: 'submit', data: { assessedOn: shanghaiDay(0), goals: ['声音察觉'], plannedMonths: 11 } });
  expect(bad.status).toBe(422);
  expect(bad.body.message).toMatch(/^计划月数须为 1 至 10 的整数.* \/ plannedMonths/);
  expect((await u.staffA.post(`/cases/${caseId}/tasks/${intake.taskId}/decision`, { action: 'submit', data: { assessedOn: shanghaiDay(0), goals: ['声音察觉', '词语理解'], plannedMonths: 10 } })).status).toBe(200);

  // Ten monthly progress records, each opened when its month ends.
  const done = new Set<string>();
  while (done.size < 10) {
    const r = await u.staffA.get(`/cases/${caseId}/tasks`);
    const t = r.body.find((x: any) => x.step === 'progress' && x.status === 'open' && !done.has(x.taskId));
    if (!t) {
      await new Promise((res) => setTimeout(res, 200));
      continue;
    }
    const ok = await u.staffA.post(`/cases/${caseId}/tasks/${t.taskId}/decision`, { action: 'submit', data: { attendanceDays: 20, goals: '能辨别常见环境声' } });
    expect(ok.status).toBe(200);
    done.add(t.taskId);
    if (done.size === 3) {
      // Mid-stay: the months so far count (the stay's months reach rehab_agreement only when it ends).
      const mid = (await serviceYear(u.staffA, caseId)).months;
      expect(mid.recorded).toBe(0);
      expect(mid.used).toBeGreaterThanOrEqual(3);
      expect(mid.used).toBeLessThanOrEqual(10);
      expect(mid.currentStay).toBe(mid.used);
      expect(mid.left).toBe(10 - mid.used);
    }
  }
  expect((await decide(u.staffA, caseId, 'end_assessment', { action: 'submit', data: { assessedOn: shanghaiDay(0), effective: true } })).status).toBe(200);

  // Settlement: over the approved amount → refused with the reason (timeline + the next bill's note).
  expect((await decide(u.staffA, caseId, 'bill', { action: 'submit', data: { amount: 20000, invoiceNo: 'A-001' } })).status).toBe(200);
  const rebill = await openTask(u.staffA, caseId, 'bill');
  expect(rebill.note).toMatch(/over the approved amount: training approved 15000/);
  expect((await u.staffA.post(`/cases/${caseId}/tasks/${rebill.taskId}/decision`, { action: 'submit', data: { amount: 14500, invoiceNo: 'A-002' } })).status).toBe(200);
  // Billed, under the county's check: counted against the approved amount already, so only 500 is left for new bills.
  const underCheck = await serviceYear(u.staffA, caseId);
  expect(underCheck.items[0]).toEqual({ item: 'training', approved: 15000, settled: 0, pending: 14500, remaining: 500, payments: 0 });
  expect(underCheck.totals).toEqual({ approved: 21000, settled: 0, pending: 14500, remaining: 6500 });
  const check = await openTask(u.county1, caseId, 'settlement_check');
  expect(check.note).toMatch(/ 康复训练 14500 元$/); // the item in words, not its code
  const fourEyes = await decide(u.county1, caseId, 'settlement_check', { action: 'approve' });
  expect(fourEyes.status).toBe(422);
  expect((await decide(u.county2, caseId, 'settlement_check', { action: 'approve' })).status).toBe(200);
  const pay = await h.ds.query(`SELECT amount::float AS amount, payee_kind, partner_id, year FROM payment WHERE case_id = $1`, [caseId]);
  expect(pay).toEqual([{ amount: 14500, payee_kind: 'institution', partner_id: inst.A, year: YEAR }]);

  // After the year's stay and its bills: ten months used of ten, 14500 of the 15000 training settled.
  const afterBills = await serviceYear(u.county1, caseId);
  expect(afterBills).toMatchObject({
    year: YEAR,
    months: { maxPerYear: 10, used: 10, recorded: 10, currentStay: 0, left: 0, period: { allowed: 10, planned: 10, months: 10 } },
    institution: { id: inst.A, year: YEAR },
    totals: { approved: 21000, settled: 14500, pending: 0, remaining: 6500 },
  });
  expect(afterBills.items).toEqual([
    { item: 'training', approved: 15000, settled: 14500, pending: 0, remaining: 500, payments: 1 },
    { item: 'hearing_aid', approved: 6000, settled: 0, pending: 0, remaining: 6000, payments: 0 },
  ]);
  expect(afterBills.stays).toEqual([expect.objectContaining({ institutionId: inst.A, status: 'active', months: 10, effective: true })]);

  // The report feed for the county.
  const rep = await u.county1.get(`/rehab/report?year=${YEAR}&orgUnitCode=${tree.county.code}`);
  expect(rep.status).toBe(200);
  expect(rep.body).toMatchObject({ year: YEAR, children: 1, settled: 14500, effectiveRate: 1 });
  expect(rep.body.byCategory).toEqual([expect.objectContaining({ key: 'hearing', children: 1, months: 10, effectiveRate: 1 })]);
  expect(rep.body.byCounty).toEqual([expect.objectContaining({ key: tree.county.code, children: 1 })]);
  expect(rep.body.byInstitution[0].key).toMatch(/^听力康复中心/);
  expect((await u.staffA.get(`/rehab/report?year=${YEAR}`)).status).toBe(403);
  // The yearly report counts the same child, assessment and money from what the workflow wrote.
  expect(await yearlyRehab(YEAR)).toMatchObject({
    registered: 1, approved: 1, served: 1, served_hearing: 1, served_autism: 0, assessed: 1, effective_rate: 100,
    settled_institution: 14500, reimbursed_family: 0, funds_total: 14500, aged_out: 0,
  });

  // Renewal before the year ends; the county approves; the case goes on into the next year.
  const renewal = await openTask(u.villager, caseId, 'renewal', (YEAR_S + 10) * 1000);
  expect((await u.villager.post(`/cases/${caseId}/tasks/${renewal.taskId}/decision`, { action: 'submit', data: { continue: true } })).status).toBe(200);
  const firstRun = (await u.county1.get(`/cases/${caseId}`)).body;
  expect((await decide(u.county1, caseId, 'county_review', { action: 'approve' })).status).toBe(200);
  const nextIntake = await openTask(u.staffA, caseId, 'intake_assessment', (YEAR_S + 10) * 1000);
  expect(nextIntake.taskId).not.toBe(intake.taskId);
  const after = (await u.county1.get(`/cases/${caseId}`)).body;
  expect(after.case.status).toBe('open');
  expect(after.case.data.year).toBe(YEAR + 1);
  // The next service year starts afresh: its own cap and budget, the same institution on the renewed agreement.
  const nextYear = await serviceYear(u.villager, caseId);
  expect(nextYear).toMatchObject({
    year: YEAR + 1,
    months: { maxPerYear: 10, used: 0, recorded: 0, left: 10 },
    institution: { id: inst.A, year: YEAR + 1 },
    totals: { approved: 21000, settled: 0, pending: 0, remaining: 21000 },
  });
  expect(nextYear.stays).toEqual([expect.objectContaining({ institutionId: inst.A, status: 'active', months: 0 })]);
  expect(after.case.data.yearsServed).toEqual([{ year: YEAR, institutions: [expect.stringMatching(/^听力康复中心/)], months: 10, effective: true, paid: 14500 }]);
  const types = after.timeline.map((e: any) => e.type);
  expect(types).toEqual(expect.arrayContaining(['case_opened', 'placed', 'period_assessed', 'bill_refused', 'payment_recorded', 'renewal_approved', 'year_closed', 'year_started']));
  expect(after.timeline.every((e: any, i: number) => i === 0 || e.seq > after.timeline[i - 1].seq)).toBe(true); // one sequence across both runs
  expect(after.timeline.length).toBeGreaterThan(firstRun.timeline.length);
  const agreements = await h.ds.query(`SELECT year, status, months, effective FROM rehab_agreement WHERE case_id = $1 ORDER BY year`, [caseId]);
  expect(agreements).toEqual([
    { year: YEAR, status: 'ended', months: 10, effective: true },
    { year: YEAR + 1, status: 'active', months: 0, effective: null },
  ]);
  // The renewal's county approval is not a second application approved; next service year's stay counts then.
  expect(await yearlyRehab(YEAR)).toMatchObject({ approved: 1, served: 1 });
  expect(await yearlyRehab(YEAR + 1)).toMatchObject({ registered: 0, served: 1, served_hearing: 1, assessed: 0 });
  await (h.api.get(TEMPORAL_CLIENT) as TemporalClient).workflow.getHandle(`case-${caseId}`).terminate('e2e done');
}, 180_000);

test('a full institution: the child waits in order on its waitlist, visible to the caseworker; a switch needs re-approval', async () => {
  const kid = await childWithGuardian(`${YEAR - 2}-09-09`);
  const started = await u.villager.post('/cases', { programme: 'child_rehab', personId: kid.id, details: { category: 'hearing', diagnosis: hearingDiagnosis(), institutionId: inst.C } });
  expect(started.status).toBe(201);
  const caseId = started.body.caseId;
  expect((await decide(u.county1, caseId, 'county_review', { action: 'approve' })).status).toBe(200);
  let d: any;
  for (let i = 0; i < 100; i++) {
    d = (await u.villager.get(`/cases/${caseId}`)).body;
    if (d.case.step === 'waitlisted') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(d.case.step).toBe('waitlisted');
  const wl = await u.villager.get(`/rehab/institutions/${inst.C}/waitlist`);
  expect(wl.status).toBe(200);
  expect(wl.body.institution).toMatchObject({ capacity: 0, used: 0, available: 0 });
  expect(wl.body.items).toEqual([expect.objectContaining({ position: 1, caseId, caseNo: started.body.caseNo, category: 'hearing', inMyArea: true })]);
  expect((await u.staffB.get(`/rehab/institutions/${inst.C}/waitlist`)).status).toBe(404);
  expect((await u.villager.get(`/rehab/institutions/${inst.hospital}/waitlist`)).status).toBe(404);

  // Switch: not to a hospital; to B (offers hearing) → the county re-approves.
  expect((await u.villager.post(`/rehab/cases/${caseId}/switch`, { institutionId: inst.hospital, reason: '就近' })).status).toBe(422);
  expect((await u.staffA.post(`/rehab/cases/${caseId}/switch`, { institutionId: inst.B, reason: '就近' })).status).toBe(403);
  const sw = await u.villager.post(`/rehab/cases/${caseId}/switch`, { institutionId: inst.B, reason: '候补时间太长 / the wait is too long' });
  expect(sw.status).toBe(200);
  expect(sw.body.openTasks.map((t: any) => t.step)).toEqual(['county_review']);
  expect((await u.villager.get(`/rehab/institutions/${inst.C}/waitlist`)).body.items).toEqual([]);
  expect((await u.villager.post(`/rehab/cases/${caseId}/switch`, { institutionId: inst.A, reason: 'again' })).status).toBe(422); // under review
  expect((await decide(u.county1, caseId, 'county_review', { action: 'approve' })).status).toBe(200);
  expect((await openTask(u.staffB, caseId, 'intake_assessment')).partnerId).toBe(inst.B);
  // Its service year now shows B (no stay at the full institution, where it only waited); A's staff do not see it.
  const atB = await serviceYear(u.staffB, caseId);
  expect(atB).toMatchObject({ institution: { id: inst.B }, waitlist: null, months: { used: 0, left: 10 } });
  expect(atB.stays).toEqual([expect.objectContaining({ institutionId: inst.B, status: 'active' })]);
  expect((await u.staffA.get(`/rehab/cases/${caseId}/service-year`)).status).toBe(404);
  await (h.api.get(TEMPORAL_CLIENT) as TemporalClient).workflow.getHandle(`case-${caseId}`).terminate('e2e done');
}, 120_000);

test('several children wait for one place: priority groups first, then the time they joined; each freed place goes to the first in line', async () => {
  const one = await institution('一位听力康复班', ['rehab_hearing'], 1);
  const terminate = (caseId: string) => (h.api.get(TEMPORAL_CLIENT) as TemporalClient).workflow.getHandle(`case-${caseId}`).terminate('e2e done');
  const stepOf = async (caseId: string, step: string) => {
    for (let i = 0; i < 150; i++) {
      const d = (await u.villager.get(`/cases/${caseId}`)).body;
      if (d.case.step === step) return d;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`case ${caseId} never reached ${step}`);
  };
  /** Applies for a place at the one-place class and has the county approve; returns the case. */
  const apply = async (hardship: string[]) => {
    const kid = await childWithGuardian(`${YEAR - 3}-03-0${1 + Math.floor(Math.random() * 9)}`, { hardship });
    const r = await u.villager.post('/cases', { programme: 'child_rehab', personId: kid.id, details: { category: 'hearing', diagnosis: hearingDiagnosis(), institutionId: one } });
    expect(r.status).toBe(201);
    expect((await decide(u.county1, r.body.caseId, 'county_review', { action: 'approve' })).status).toBe(200);
    return { caseId: r.body.caseId as string, caseNo: r.body.caseNo as string };
  };
  const line = async () => {
    const wl = await u.villager.get(`/rehab/institutions/${one}/waitlist`);
    expect(wl.status).toBe(200);
    return wl.body.items.map((i: any) => ({ position: i.position, caseId: i.caseId, priority: i.priority }));
  };

  // The first child takes the only place.
  const holder = await apply([]);
  expect((await openTask(u.county1, holder.caseId, 'intake_assessment')).partnerId).toBe(one);
  // Two children without a priority group join the waitlist, one after the other, then a 低保 child.
  const early = await apply([]);
  expect((await stepOf(early.caseId, 'waitlisted')).case.data.waitlist).toMatchObject({ partnerId: one, position: 1 });
  const later = await apply([]);
  expect((await stepOf(later.caseId, 'waitlisted')).case.data.waitlist).toMatchObject({ position: 2 });
  const dibao = await apply(['dibao']);
  expect((await stepOf(dibao.caseId, 'waitlisted')).case.data.waitlist).toMatchObject({ position: 1 }); // ahead of both
  expect(await line()).toEqual([
    { position: 1, caseId: dibao.caseId, priority: 3 },
    { position: 2, caseId: early.caseId, priority: 0 },
    { position: 3, caseId: later.caseId, priority: 0 },
  ]);

  // The place frees (the first child moves to A): it goes to the 低保 child, the others keep their order.
  expect((await u.villager.post(`/rehab/cases/${holder.caseId}/switch`, { institutionId: inst.A, reason: '家庭搬迁 / the family moved' })).status).toBe(200);
  expect((await openTask(u.county1, dibao.caseId, 'intake_assessment')).partnerId).toBe(one);
  expect(await line()).toEqual([
    { position: 1, caseId: early.caseId, priority: 0 },
    { position: 2, caseId: later.caseId, priority: 0 },
  ]);
  expect((await u.villager.get(`/cases/${early.caseId}`)).body.case.step).toBe('waitlisted');
  expect((await u.villager.get(`/cases/${later.caseId}`)).body.case.step).toBe('waitlisted');
  const offered = (await u.county1.get(`/cases/${holder.caseId}`)).body.timeline.find((e: any) => e.type === 'place_offered');
  expect(offered.data).toMatchObject({ partnerId: one, toCase: dibao.caseId });

  // It frees again (the 低保 child moves to B): now the child who joined first among equals.
  expect((await u.villager.post(`/rehab/cases/${dibao.caseId}/switch`, { institutionId: inst.B, reason: '离家更近 / closer to home' })).status).toBe(200);
  expect((await openTask(u.county1, early.caseId, 'intake_assessment')).partnerId).toBe(one);
  expect(await line()).toEqual([{ position: 1, caseId: later.caseId, priority: 0 }]);
  expect((await u.villager.get(`/cases/${later.caseId}`)).body.case.step).toBe('waitlisted');
  for (const c of [holder, early, later, dibao]) await terminate(c.caseId);
}, 120_000);

test('under a residence permit the case goes to the residence county: its staff review it, the hukou area does not see it; no residence village → 400', async () => {
  // Hukou in county A (this suite's tree), residence permit in county B (another city's county).
  const treeB = await createTree(h.ds);
  const instB = await institution('乙县听力康复中心', ['rehab_hearing'], 10, treeB.county.code);
  const b = {
    villager: await h.user('village_caseworker', treeB.villageA1.code),
    township: await h.user('township_officer', treeB.townshipA.code),
    county: await h.user('county_officer', treeB.county.code),
  };
  const child = (residenceOrgCode?: string) =>
    u.villager.post('/persons', {
      residentId: makeResidentId(tree.county.code, `${YEAR - 4}-03-0${1 + Math.floor(Math.random() * 9)}`, Math.floor(Math.random() * 999)),
      name: '流动儿童', hukouOrgCode: tree.villageA1.code, ...(residenceOrgCode ? { residenceOrgCode } : {}),
      guardian: { name: '周敏', relation: '母亲', phone: '13900000001' }, hardship: ['low_income'],
    });
  const details = {
    category: 'hearing', diagnosis: hearingDiagnosis(), institutionId: instB,
    residence: 'residence_permit', residencePermit: { number: '乙居字0001', validUntil: shanghaiDay(300) },
  };
  const casesOf = async (personId: string) => (await h.ds.query(`SELECT count(*)::int AS n FROM case_file WHERE person_id = $1`, [personId]))[0].n;

  // No residence village on record: refused with the reason, nothing written.
  const noResidence = await child();
  expect(noResidence.status).toBe(201);
  const refused = await u.villager.post('/cases', { programme: 'child_rehab', personId: noResidence.body.id, details });
  expect([refused.status, refused.body.code]).toEqual([400, 'RESIDENCE_VILLAGE_MISSING']);
  expect(refused.body.message).toMatch(/居住地.*residence village/);
  expect(await casesOf(noResidence.body.id)).toBe(0);

  const kid = await child(treeB.villageA1.code);
  expect(kid.status).toBe(201);
  const personId = kid.body.id;
  // Readable from both areas.
  expect((await u.villager.get(`/persons/${personId}`)).status).toBe(200);
  expect((await b.villager.get(`/persons/${personId}`)).body).toMatchObject({ hukouOrgCode: tree.villageA1.code, residenceOrgCode: treeB.villageA1.code });

  // The hukou caseworker cannot open it in B's area; B's caseworker cannot open a hukou case in A's.
  const fromA = await u.villager.post('/cases', { programme: 'child_rehab', personId, details });
  expect(fromA.status).toBe(403);
  expect(fromA.body.message).toMatch(/居住地/);
  const hukouFromB = await b.villager.post('/cases', { programme: 'child_rehab', personId, details: { ...details, residence: 'hukou', residencePermit: undefined } });
  expect(hukouFromB.status).toBe(403);
  expect(await casesOf(personId)).toBe(0);

  const pre = await b.villager.post('/cases/precheck', { programme: 'child_rehab', personId, details });
  expect(pre.body.eligible).toBe(true);
  expect(pre.body.rules.find((r: any) => r.rule === 'residence')).toMatchObject({ ok: true });
  const started = await b.villager.post('/cases', { programme: 'child_rehab', personId, details });
  expect(started.status).toBe(201);
  const caseId = started.body.caseId;
  const [row] = await h.ds.query(`SELECT org_unit_code, org_path FROM case_file WHERE id = $1`, [caseId]);
  expect(row).toEqual({ org_unit_code: treeB.villageA1.code, org_path: treeB.villageA1.path });

  // B's county officer gets the review task (in B's inbox), B's township officer sees the case.
  const review = await openTask(b.county, caseId, 'county_review');
  expect(review.orgUnitCode).toBe(treeB.county.code);
  expect((await b.county.get('/inbox')).body.items.map((t: any) => t.taskId)).toContain(review.taskId);
  expect((await b.township.get(`/cases/${caseId}`)).status).toBe(200);
  // A's caseworker and county officer do not see the case, its tasks, or it in their lists.
  expect((await u.villager.get(`/cases/${caseId}`)).status).toBe(404);
  expect((await u.county1.get(`/cases/${caseId}`)).status).toBe(404);
  expect((await u.county1.get('/cases?programme=child_rehab')).body.items.map((c: any) => c.caseId)).not.toContain(caseId);
  expect((await u.county1.get('/inbox')).body.items.map((t: any) => t.taskId)).not.toContain(review.taskId);
  expect((await u.county1.post(`/cases/${caseId}/tasks/${review.taskId}/decision`, { action: 'approve' })).status).toBe(404);
  expect((await b.county.post(`/cases/${caseId}/tasks/${review.taskId}/decision`, { action: 'approve' })).status).toBe(200);
  // The person stays readable from the hukou area.
  expect((await u.villager.get(`/persons/${personId}`)).status).toBe(200);
});

test('per-category age limits of a jurisdiction: autism to 14, hearing to 18 only with a certificate; the admitted limit is the case’s for its renewals', async () => {
  const treeC = await createTree(h.ds);
  const instC = await institution('丙县康复中心', ['rehab_autism', 'rehab_hearing'], 10, treeC.county.code);
  const ageLimits = [{ categories: ['autism'], maxAge: 14 }, { categories: ['hearing', 'limb'], maxAge: 18, requiresCertificate: true }];
  // The county's new settings version, through the admin api (which checks ageLimits: a limit over 18 is refused).
  const manager = await h.user('manager', treeC.county.code);
  const bad = await manager.post('/admin/programme-configs', { programme: 'child_rehab', orgUnitCode: treeC.county.code, effectiveFrom: shanghaiDay(0), settings: { steps: {}, rules: { ageLimits: [{ categories: ['autism'], maxAge: 30 }] } } });
  expect([bad.status, bad.body.code]).toEqual([422, 'SETTINGS_INVALID']);
  const cfg = await manager.post('/admin/programme-configs', { programme: 'child_rehab', orgUnitCode: treeC.county.code, effectiveFrom: shanghaiDay(0), settings: { steps: {}, rules: { ageLimits } } });
  expect(cfg.status).toBe(201);
  const villager = await h.user('village_caseworker', treeC.villageA1.code);
  const kid = async () => {
    const p = await createPerson(h.ds, treeC.villageA1.code, treeC.villageA1.path, { birth: `${YEAR - 11}-02-02`, hardship: [] }); // 10 on 1 January
    await h.ds.query(`UPDATE person SET guardian_name = '吴芳', guardian_relation = '母亲' WHERE id = $1`, [p.id]);
    return p.id;
  };
  const autism = { category: 'autism', diagnosis: { hospital: '省儿童医院', date: shanghaiDay(-30), category: 'autism' }, institutionId: instC };
  const autistic = await kid();
  const pre = await villager.post('/cases/precheck', { programme: 'child_rehab', personId: autistic, details: autism });
  expect(pre.body.eligible).toBe(true);
  expect(pre.body.rules.find((r: any) => r.rule === 'age')).toMatchObject({ ok: true, version: 'child-rehab-eligibility@2026-12' });

  const deaf = await kid();
  const refused = await villager.post('/cases', { programme: 'child_rehab', personId: deaf, details: { ...autism, category: 'hearing', diagnosis: hearingDiagnosis() } });
  expect([refused.status, refused.body.code]).toEqual([422, 'NOT_ELIGIBLE']);
  expect(refused.body.details.rules.find((r: any) => !r.ok)).toMatchObject({ rule: 'age', version: 'child-rehab-eligibility@2026-12' });
  expect(refused.body.message).toMatch(/持残疾人证的儿童救助至未满 18 周岁/);

  const started = await villager.post('/cases', { programme: 'child_rehab', personId: autistic, details: autism });
  expect(started.status).toBe(201);
  // The workflow runs with the limit that admitted the child (its renewals age it out at 14, not 7).
  const temporal = h.api.get(TEMPORAL_CLIENT) as TemporalClient;
  const handle = temporal.workflow.getHandle(`case-${started.body.caseId}`);
  const history = await handle.fetchHistory();
  let [payload] = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads! as Payload[];
  if (new TextDecoder().decode(payload.metadata!.encoding!) === 'binary/encrypted') {
    [payload] = await new AesGcmPayloadCodec(parsePiiKeys(process.env.PII_ENCRYPTION_KEY!)).decode([payload]);
  }
  const input = JSON.parse(Buffer.from(payload.data!).toString('utf8'));
  expect(input.settings.rules.maxAge).toBe(14);
  await handle.terminate('e2e done');
});
