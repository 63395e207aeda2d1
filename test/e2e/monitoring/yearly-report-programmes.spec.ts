/**
 * The yearly report's child rehabilitation and training figures over seeded read-model rows, as
 * the workflows write them (case_file, task, rehab_agreement, payment, course, course_enrolment,
 * job_placement; see activities/child-rehab.ts and activities/training.ts): the exact figures for a
 * county, its townships, another county and the neighbouring years (each event counted in the
 * year of its date), drill-downs that add up to every figure, the out-of-scope manager, agreement
 * with /rehab/report where the two count the same thing, and the CSV / Excel rows in Chinese.
 * test/e2e/child-rehab-http.spec.ts and training-http.spec.ts check the same figures over cases
 * the real workflows ran.
 */
import { Workbook } from 'exceljs';
import { randomUUID } from 'node:crypto';
import { Client, Harness, startHarness } from '../../setup/harness';
import { createPerson, createTree, Tree } from '../../setup/fixtures';

let h: Harness;
let tree: Tree;
let other: Tree;
let u: Record<string, Client>;
const Y = 2025;
const caseNo: Record<string, string> = {};
const partner: Record<string, string> = {};
const course: Record<string, string> = {};

type Place = 'A' | 'B' | 'other';
const at = (d: string) => (d.includes('T') ? d : `${d}T10:00:00+08:00`);

function unit(place: Place) {
  const v = place === 'A' ? tree.villageA1 : place === 'B' ? tree.villageB1 : other.villageA1;
  const county = place === 'other' ? other.county : tree.county;
  return { v, county };
}

async function newPartner(kind: string, countyCode: string, services: string[]) {
  const id = randomUUID();
  await h.ds.query(
    `INSERT INTO partner (id, name, kind, org_unit_code, services, capacity, agreement_start, agreement_end, status)
     VALUES ($1,$2,$3,$4,$5,NULL,'2020-01-01','2099-12-31','active')`,
    [id, `${kind}-${id.slice(0, 6)}`, kind, countyCode, services],
  );
  return id;
}

interface CaseSeed {
  key: string;
  programme: 'child_rehab' | 'training';
  place: Place;
  opened: string;
  closed?: string;
  outcome?: string;
  data?: Record<string, unknown>;
}

async function insertCase(s: CaseSeed) {
  const { v } = unit(s.place);
  const person = (await createPerson(h.ds, v.code, v.path, { birth: s.programme === 'child_rehab' ? '2020-05-05' : '1990-05-05' })).id;
  const id = randomUUID();
  caseNo[s.key] = `YRP-${s.key}-${id.slice(0, 8)}`;
  await h.ds.query(
    `INSERT INTO case_file (id, case_no, programme, person_id, org_unit_code, org_path, status, step, waiting_on, outcome, workflow_id, rule_version, data, projected_seq, opened_at, closed_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,'none',$9,$10,$11,$12,1,$13,$14)`,
    [id, caseNo[s.key], s.programme, person, v.code, v.path, s.closed ? 'closed' : 'open', s.closed ? 'closed' : 'in_progress', s.outcome ?? null,
      `case-${id}`, `${s.programme}@test`, JSON.stringify(s.data ?? {}), at(s.opened), s.closed ? at(s.closed) : null],
  );
  return { id, person, path: v.path };
}

let taskSeq = 0;
async function task(c: { id: string }, programme: string, place: Place, step: string, decision: string, done: string) {
  const { county } = unit(place);
  await h.ds.query(
    `INSERT INTO task (id, case_id, programme, step, kind, status, assignee_role, org_unit_code, org_path, due_at, due_date, decision, created_at, completed_at, projected_seq)
     VALUES ($1,$2,$3,$4,$5,'completed',$6,$7,$8,$9,$10,$11,$9,$9,1)`,
    [`${c.id}-t${++taskSeq}`, c.id, programme, step, decision === 'submit' ? 'record' : 'approval', decision === 'submit' ? 'partner_staff' : 'county_officer',
      county.code, county.path, at(done), done.slice(0, 10), decision],
  );
}

// ---- child rehabilitation --------------------------------------------------------------------

interface Stay { year: number; category: string; started: string; months: number; effective: boolean | null; outOfArea?: boolean }
interface Pay { payee: 'institution' | 'family'; amount: number; year: number; at: string }
interface RehabSeed extends Omit<CaseSeed, 'programme'> {
  approvals?: string[]; // county_review approvals: the application's, then switches / renewals
  rejected?: string;
  stays?: Stay[];
  payments?: Pay[];
}

const REHAB: RehabSeed[] = [
  // hearing, applied and approved in 2025; paid twice (cents); renewed for 2026 in December
  { key: 'K1', place: 'A', opened: '2025-02-10', approvals: ['2025-02-20', '2025-12-01'], data: { year: 2026, category: 'hearing' },
    stays: [{ year: 2025, category: 'hearing', started: '2025-03-01', months: 10, effective: true }, { year: 2026, category: 'hearing', started: '2026-01-01T00:00:01+08:00', months: 0, effective: null }],
    payments: [{ payee: 'institution', amount: 6000.5, year: 2025, at: '2025-04-02' }, { payee: 'institution', amount: 15000, year: 2025, at: '2025-12-10' }] },
  // autism, approved in 2024, continued into 2025 (renewal), not effective, aged out at the end of 2025:
  // closed a moment into 1 January 2026, as the workflow's last activities do; a late 2024 bill approved in January 2025
  { key: 'K2', place: 'A', opened: '2024-11-05', approvals: ['2024-11-20', '2024-12-15'], data: { year: 2025, category: 'autism' },
    closed: '2026-01-01T00:00:00.200+08:00', outcome: 'aged_out',
    stays: [{ year: 2024, category: 'autism', started: '2024-12-01', months: 1, effective: null }, { year: 2025, category: 'autism', started: '2025-01-01T00:00:01+08:00', months: 8, effective: false }],
    payments: [{ payee: 'institution', amount: 1500, year: 2024, at: '2025-01-08' }, { payee: 'institution', amount: 12000, year: 2025, at: '2025-09-30' }] },
  // limb, switched institution in May (the first stay ends unassessed), out of area: the family is reimbursed; withdrew at renewal
  { key: 'K3', place: 'B', opened: '2025-03-01', approvals: ['2025-03-05', '2025-05-18'], data: { year: 2025, category: 'limb' },
    closed: '2025-12-31T23:59:59.999+08:00', outcome: 'withdrawn',
    stays: [{ year: 2025, category: 'limb', started: '2025-03-10', months: 2, effective: null }, { year: 2025, category: 'limb', started: '2025-05-20', months: 6, effective: true, outOfArea: true }],
    payments: [{ payee: 'family', amount: 9000, year: 2025, at: '2025-10-15' }] },
  // approved but waitlisted all year: not served
  { key: 'K4', place: 'A', opened: '2025-05-20', approvals: ['2025-06-01'], data: { year: 2025, category: 'vision' } },
  // rejected
  { key: 'K5', place: 'A', opened: '2025-07-01', rejected: '2025-07-10', closed: '2025-07-10', outcome: 'rejected', data: { year: 2025, category: 'speech' } },
  // aged out at the end of 2024: nothing in 2025
  { key: 'K6', place: 'A', opened: '2023-03-01', approvals: ['2023-03-10'], data: { year: 2024, category: 'hearing' }, closed: '2024-12-31T23:59:59+08:00', outcome: 'aged_out',
    stays: [{ year: 2024, category: 'hearing', started: '2024-01-01T00:00:01+08:00', months: 10, effective: true }],
    payments: [{ payee: 'institution', amount: 15000, year: 2024, at: '2024-11-01' }] },
  // another county
  { key: 'K7', place: 'other', opened: '2025-02-01', approvals: ['2025-02-05'], data: { year: 2025, category: 'hearing' },
    stays: [{ year: 2025, category: 'hearing', started: '2025-02-10', months: 10, effective: true }],
    payments: [{ payee: 'institution', amount: 77777, year: 2025, at: '2025-05-05' }] },
  // registered in December 2025, approved in January 2026
  { key: 'K8', place: 'A', opened: '2025-12-20', approvals: ['2026-01-05'], data: { year: 2026, category: 'intellectual' } },
  // speech, approved in 2024, renewed for 2025 and again (in December 2025) for 2026
  { key: 'K9', place: 'B', opened: '2024-09-01', approvals: ['2024-09-10', '2024-12-10', '2025-12-05'], data: { year: 2026, category: 'speech' },
    stays: [
      { year: 2024, category: 'speech', started: '2024-09-20', months: 3, effective: true },
      { year: 2025, category: 'speech', started: '2025-01-01T00:00:01+08:00', months: 10, effective: true },
      { year: 2026, category: 'speech', started: '2026-01-01T00:00:02+08:00', months: 0, effective: null },
    ],
    payments: [{ payee: 'institution', amount: 15000, year: 2025, at: '2025-11-20' }] },
];

async function seedRehab() {
  for (const s of REHAB) {
    const c = await insertCase({ ...s, programme: 'child_rehab' });
    for (const d of s.approvals ?? []) await task(c, 'child_rehab', s.place, 'county_review', 'approve', d);
    if (s.rejected) await task(c, 'child_rehab', s.place, 'county_review', 'reject', s.rejected);
    const inst = s.place === 'other' ? partner.rehabOther : partner.rehab;
    for (const [i, a] of (s.stays ?? []).entries()) {
      await h.ds.query(
        `INSERT INTO rehab_agreement (agreement_key, case_id, person_id, partner_id, org_path, category, year, status, out_of_area, months, effective, started_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
        [`${c.id}:${a.year}:a${i}`, c.id, c.person, inst, c.path, a.category, a.year, i === s.stays!.length - 1 && !s.closed ? 'active' : 'ended', a.outOfArea ?? false, a.months, a.effective, at(a.started)],
      );
    }
    for (const [i, p] of (s.payments ?? []).entries()) {
      await h.ds.query(
        `INSERT INTO payment (payment_key, case_id, programme, person_id, org_path, partner_id, payee_kind, item, amount, year, created_at)
         VALUES ($1,$2,'child_rehab',$3,$4,$5,$6,'training',$7,$8,$9)`,
        [`${c.id}:${p.year}:p${i}`, c.id, c.person, c.path, inst, p.payee, p.amount, p.year, at(p.at)],
      );
    }
  }
}

// ---- training ----------------------------------------------------------------------------------

interface Placement { channel: string; start: string; end?: string; status: string; support?: number }
interface TrainingSeed extends Omit<CaseSeed, 'programme'> {
  approved: string;
  course: string;
  enrol: { status: string; enrolled: string | null; ended?: string; passed?: boolean; certificate?: string };
  assessed?: string;
  placements?: Placement[];
}

const TRAINING: TrainingSeed[] = [
  // a 2025 course: certified, placed with a quota employer
  { key: 'T1', place: 'A', opened: '2025-02-01', approved: '2025-02-10', course: 'c2025',
    enrol: { status: 'completed', enrolled: '2025-02-15', ended: '2025-03-31', passed: true, certificate: 'C-0001' }, assessed: '2025-04-03',
    placements: [{ channel: 'quota_employer', start: '2025-04-20', status: 'active' }] },
  // passed without a certificate; a public-welfare post lost in July, then self-employed with support
  { key: 'T2', place: 'A', opened: '2025-02-02', approved: '2025-02-10', course: 'c2025',
    enrol: { status: 'completed', enrolled: '2025-02-15', ended: '2025-03-31', passed: true }, assessed: '2025-04-03',
    placements: [{ channel: 'public_welfare', start: '2025-05-01', end: '2025-07-01', status: 'ended' }, { channel: 'self_employment', start: '2025-08-01', status: 'active', support: 5000 }] },
  // dropped out
  { key: 'T3', place: 'B', opened: '2025-02-03', approved: '2025-02-11', course: 'c2025', closed: '2025-03-10', outcome: 'dropped_out',
    enrol: { status: 'dropped', enrolled: '2025-02-16', ended: '2025-03-10' } },
  // a 2024 course that ended in January 2025: trained and certified in 2025, placed in 2025, stable (confirmed) in 2026
  { key: 'T4', place: 'A', opened: '2024-10-01', approved: '2024-10-10', course: 'c2024', closed: '2026-02-03', outcome: 'stable_employment',
    enrol: { status: 'completed', enrolled: '2024-11-15', ended: '2025-01-20', passed: true, certificate: 'C-0002' }, assessed: '2025-01-25',
    placements: [{ channel: 'public_welfare', start: '2025-02-01', status: 'stable' }] },
  // trained in 2023, placed in March 2024, stable employment confirmed in March 2025
  { key: 'T5', place: 'B', opened: '2023-09-01', approved: '2023-09-05', course: 'c2023', closed: '2025-03-05', outcome: 'stable_employment',
    enrol: { status: 'completed', enrolled: '2023-09-20', ended: '2023-12-31', passed: true, certificate: 'C-0000' }, assessed: '2024-01-05',
    placements: [{ channel: 'quota_employer', start: '2024-03-01', status: 'stable' }] },
  // waitlisted, never got a place
  { key: 'T6', place: 'A', opened: '2025-02-05', approved: '2025-02-12', course: 'c2025', closed: '2025-03-06', outcome: 'waitlist_expired',
    enrol: { status: 'expired', enrolled: null, ended: '2025-03-06' } },
  // another county
  { key: 'T7', place: 'other', opened: '2025-02-01', approved: '2025-02-08', course: 'cOther',
    enrol: { status: 'completed', enrolled: '2025-02-15', ended: '2025-03-31', passed: true, certificate: 'C-9999' }, assessed: '2025-04-02',
    placements: [{ channel: 'quota_employer', start: '2025-04-01', status: 'active' }] },
  // trained, failed the assessment, not employed
  { key: 'T8', place: 'A', opened: '2025-02-04', approved: '2025-02-10', course: 'c2025', closed: '2025-06-01', outcome: 'not_employed',
    enrol: { status: 'completed', enrolled: '2025-02-15', ended: '2025-03-31', passed: false }, assessed: '2025-04-03' },
];

async function seedTraining() {
  const courses: [string, Tree, number, string, string][] = [
    ['c2023', tree, 2023, '2023-10-01', '2023-12-31'],
    ['c2024', tree, 2024, '2024-11-15', '2025-01-20'],
    ['c2025', tree, 2025, '2025-03-01', '2025-03-31'],
    ['cOther', other, 2025, '2025-03-01', '2025-03-31'],
  ];
  for (const [key, t, year, start, end] of courses) {
    course[key] = randomUUID();
    await h.ds.query(
      `INSERT INTO course (id, name, type, org_unit_code, year, institution_id, start_date, end_date, hours, places, location, status)
       VALUES ($1,$2,'employment_skills',$3,$4,$5,$6,$7,40,20,'县职业技能培训学校','closed')`,
      [course[key], `培训班 ${key}`, t.county.code, year, t === other ? partner.schoolOther : partner.school, start, end],
    );
  }
  for (const s of TRAINING) {
    const c = await insertCase({ ...s, programme: 'training' });
    await task(c, 'training', s.place, 'county_approval', 'approve', s.approved);
    if (s.assessed) await task(c, 'training', s.place, 'assessment', 'submit', s.assessed);
    const e = s.enrol;
    await h.ds.query(
      `INSERT INTO course_enrolment (case_id, course_id, person_id, org_path, workflow_id, status, requested_at, enrolled_at, passed, certificate_no, certificate_level, ended_at, hours_attended)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,40)`,
      [c.id, course[s.course], c.person, c.path, `case-${c.id}`, e.status, at(s.approved), e.enrolled ? at(e.enrolled) : null, e.passed ?? null,
        e.certificate ?? null, e.certificate ? 'level5' : null, e.ended ? at(e.ended) : null],
    );
    for (const [i, p] of (s.placements ?? []).entries()) {
      await h.ds.query(
        `INSERT INTO job_placement (id, case_id, person_id, course_id, org_path, channel, employer_id, detail, start_date, end_date, support_amount, status)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
        [`${c.id}-p${i + 1}`, c.id, c.person, course[s.course], c.path, p.channel, p.channel === 'quota_employer' ? partner.employer : null, '岗位', p.start, p.end ?? null,
          p.support ?? null, p.status],
      );
    }
  }
}

beforeAll(async () => {
  h = await startHarness('yearly-report-programmes');
  tree = await createTree(h.ds);
  other = await createTree(h.ds);
  partner.rehab = await newPartner('rehab_institution', tree.county.code, ['rehab_hearing', 'rehab_autism', 'rehab_limb', 'rehab_speech']);
  partner.rehabOther = await newPartner('rehab_institution', other.county.code, ['rehab_hearing']);
  partner.school = await newPartner('training_institution', tree.county.code, ['training']);
  partner.schoolOther = await newPartner('training_institution', other.county.code, ['training']);
  partner.employer = await newPartner('employer', tree.county.code, []);
  u = {
    county: await h.user('county_officer', tree.county.code),
    manager: await h.user('manager', tree.county.code),
    managerA: await h.user('manager', tree.townshipA.code),
    managerB: await h.user('manager', tree.townshipB.code),
    otherManager: await h.user('manager', other.county.code),
  };
  await seedRehab();
  await seedTraining();
});
afterAll(async () => h?.close());

const programme = (body: any, name: string) => body.programmes.find((p: any) => p.programme === name);
const values = (body: any, name: string) => Object.fromEntries(programme(body, name).figures.map((f: any) => [f.key, f.value]));
const figures = (body: any, name: string) => Object.fromEntries(programme(body, name).figures.map((f: any) => [f.key, f]));
const nos = (...keys: string[]) => keys.map((k) => caseNo[k]).sort();
const CATEGORY_KEYS = ['served_vision', 'served_hearing', 'served_speech', 'served_limb', 'served_intellectual', 'served_autism'];

test('child rehabilitation: the county figures of the year, each event in the year of its date', async () => {
  const r = await u.manager.get(`/reports/yearly?year=${Y}`);
  expect(r.status).toBe(200);
  expect(programme(r.body, 'child_rehab')).toMatchObject({ label: '残疾儿童康复救助', labelEn: 'Child rehabilitation' });
  expect(values(r.body, 'child_rehab')).toEqual({
    registered: 5, // K1, K3, K4, K5, K8
    approved: 3, // K1, K3, K4 (K9's December renewal is not a new approval; K8 is approved in 2026)
    rejected: 1, // K5
    served: 4, // K1, K2, K3, K9 hold a 2025 agreement (K4 only waited)
    served_vision: 0,
    served_hearing: 1,
    served_speech: 1,
    served_limb: 1, // K3 once, although two stays (a switch)
    served_intellectual: 0,
    served_autism: 1,
    assessed: 4,
    effective_rate: 75, // K1, K3, K9 of K1, K2, K3, K9
    settled_institution: 49500.5, // 6000.50 + 15000 (K1) + 1500 + 12000 (K2, the 2024 bill approved in January) + 15000 (K9)
    reimbursed_family: 9000, // K3
    funds_total: 58500.5,
    aged_out: 1, // K2, although its case closed a moment into 2026
    exited: 1, // K3 withdrew
  });
  const f = figures(r.body, 'child_rehab');
  expect(f.effective_rate).toMatchObject({ numerator: 3, denominator: 4, cases: 4, unit: '%', label: '康复训练有效率' });
  expect(f.settled_institution).toMatchObject({ cases: 3, unit: '元', label: '结算定点机构康复费用' });
  expect(f.served).toMatchObject({ unit: '人', label: '救助康复儿童' });
  expect(f.served.note).toContain('按康复服务年度计');
  expect(f.settled_institution.note).toContain('按结算审核日期计');
  // every figure's note also in English, for the app's English mode
  for (const p of r.body.programmes) for (const fig of p.figures) if (fig.note) expect([fig.id, typeof fig.noteEn, /[\u4e00-\u9fff]/.test(fig.noteEn)]).toEqual([fig.id, 'string', false]);
  expect(f.served.noteEn).toContain('by service year');
  // the categories add up to the children served
  expect(CATEGORY_KEYS.reduce((sum, k) => sum + f[k].value, 0)).toBe(f.served.value);

  // the neighbouring years: 2026 has K1's and K9's renewed stays, K8's approval, and not K2's ageing out
  const next = values((await u.manager.get(`/reports/yearly?year=${Y + 1}`)).body, 'child_rehab');
  expect(next).toMatchObject({ registered: 0, approved: 1, served: 2, served_hearing: 1, served_speech: 1, assessed: 0, effective_rate: null, aged_out: 0, exited: 0, funds_total: 0 });
  const prev = values((await u.manager.get(`/reports/yearly?year=${Y - 1}`)).body, 'child_rehab');
  // registered K2, K9; approved K2, K9; served K2, K6, K9; assessed K6, K9 (K2's first stay was not); K6's bill; K6 aged out
  expect(prev).toMatchObject({ registered: 2, approved: 2, served: 3, assessed: 2, effective_rate: 100, settled_institution: 15000, aged_out: 1 });
});

test('child rehabilitation: the same children and rate as /rehab/report; money by settlement date, not service year', async () => {
  const y = (await u.county.get(`/reports/yearly?year=${Y}`)).body;
  const f = values(y, 'child_rehab');
  const rep = (await u.county.get(`/rehab/report?year=${Y}`)).body;
  expect(rep.children).toBe(f.served);
  expect(rep.assessed).toBe(f.assessed);
  expect(rep.effectiveRate * 100).toBe(f.effective_rate);
  for (const c of rep.byCategory) expect(f[`served_${c.key}`]).toBe(c.children);
  // /rehab/report sums by the service year the money belongs to: K2's 2024 bill approved in January 2025 is the difference
  expect(rep.settled).toBe(57000.5);
  expect(f.funds_total - rep.settled).toBe(1500);
});

test('training: the county figures of the year, each event in the year of its date', async () => {
  const r = await u.manager.get(`/reports/yearly?year=${Y}`);
  expect(programme(r.body, 'training')).toMatchObject({ label: '职业培训与就业' });
  expect(values(r.body, 'training')).toEqual({
    registered: 5, // T1, T2, T3, T6, T8
    approved: 5,
    enrolled: 4, // T1, T2, T3, T8 took a place in 2025 (T4 in 2024; T6 only waited)
    trained: 4, // T1, T2, T8 and T4, whose 2024 course ended in January 2025
    dropped_out: 1, // T3
    certified: 2, // T1, T4
    employed: 3, // T1, T2 (twice: counted once, by the later placement), T4
    employed_quota_employer: 1, // T1
    employed_public_welfare: 1, // T4
    employed_self_employment: 1, // T2
    self_employment_support: 5000,
    retained_12m: 1, // T5 confirmed in March 2025 (T4's confirmation is in 2026)
    employment_rate: 75, // T1, T2, T4 of T1, T2, T4, T8
  });
  const f = figures(r.body, 'training');
  expect(f.employment_rate).toMatchObject({ numerator: 3, denominator: 4, unit: '%', label: '培训后就业率' });
  expect(f.employed_quota_employer.label).toBe('其中：按比例安排就业');
  expect(f.employed.value).toBe(f.employed_quota_employer.value + f.employed_public_welfare.value + f.employed_self_employment.value);
  expect(f.retained_12m.note).toContain('按确认日期');
  expect(f.retained_12m.noteEn).toContain('by date of confirmation');
  const drill = (await u.manager.get(`/reports/yearly/drilldown?figure=training.retained_12m&year=${Y}`)).body;
  expect(drill.figure).toMatchObject({ note: f.retained_12m.note, noteEn: f.retained_12m.noteEn });

  const next = values((await u.manager.get(`/reports/yearly?year=${Y + 1}`)).body, 'training');
  expect(next).toMatchObject({ registered: 0, enrolled: 0, trained: 0, employed: 0, retained_12m: 1, employment_rate: null }); // T4
  const prev = values((await u.manager.get(`/reports/yearly?year=${Y - 1}`)).body, 'training');
  // registered, approved, enrolled: T4; certified: T5 (January 2024); employed: T5 (March 2024)
  expect(prev).toMatchObject({ registered: 1, approved: 1, enrolled: 1, trained: 0, certified: 1, employed: 1, employed_quota_employer: 1, retained_12m: 0 });
});

test('every drill-down adds up to its figure, with the date that placed each case in the year', async () => {
  for (const user of [u.manager, u.managerA, u.managerB, u.otherManager]) {
    for (const year of [Y - 1, Y, Y + 1]) {
      const r = await user.get(`/reports/yearly?year=${year}`);
      for (const name of ['child_rehab', 'training']) {
        for (const fig of programme(r.body, name).figures) {
          const d = await user.get(`/reports/yearly/drilldown?figure=${fig.id}&year=${year}`);
          expect(d.status).toBe(200);
          expect(d.body.truncated).toBe(false);
          expect(d.body.items).toHaveLength(fig.cases);
          if (fig.kind === 'cases') expect(d.body.totals.cases).toBe(fig.value);
          if (fig.kind === 'people') expect(d.body.totals.people).toBe(fig.value);
          if (fig.kind === 'sum') expect(d.body.totals.amount).toBe(fig.value);
          if (fig.kind === 'rate') {
            expect(d.body.totals.numerator).toBe(fig.numerator);
            expect(d.body.totals.denominator).toBe(fig.denominator);
            expect(d.body.totals.rate).toBe(fig.value);
          }
          expect(d.body.items.every((i: any) => i.at !== null)).toBe(true);
        }
      }
    }
  }
  const list = async (figure: string) => (await u.manager.get(`/reports/yearly/drilldown?figure=${figure}&year=${Y}`)).body;
  expect((await list('child_rehab.served')).items.map((i: any) => i.caseNo).sort()).toEqual(nos('K1', 'K2', 'K3', 'K9'));
  const funds = await list('child_rehab.funds_total');
  expect(Object.fromEntries(funds.items.map((i: any) => [i.caseNo, i.amount]))).toEqual({ [caseNo.K1]: 21000.5, [caseNo.K2]: 13500, [caseNo.K3]: 9000, [caseNo.K9]: 15000 });
  const rate = await list('child_rehab.effective_rate');
  expect(rate.items.filter((i: any) => !i.inNumerator).map((i: any) => i.caseNo)).toEqual([caseNo.K2]);
  const aged = await list('child_rehab.aged_out');
  expect(aged.items).toEqual([expect.objectContaining({ caseNo: caseNo.K2, at: '2025-12-31T16:00:00.200Z' })]);
  expect((await list('child_rehab.approved')).items.map((i: any) => i.caseNo).sort()).toEqual(nos('K1', 'K3', 'K4'));
  const self = await list('training.employed_self_employment');
  expect(self.items).toEqual([expect.objectContaining({ caseNo: caseNo.T2, at: '2025-08-01' })]);
  expect((await list('training.trained')).items.map((i: any) => i.caseNo).sort()).toEqual(nos('T1', 'T2', 'T4', 'T8'));
  expect((await list('training.certified')).items.map((i: any) => i.caseNo).sort()).toEqual(nos('T1', 'T4'));
  expect((await list('training.retained_12m')).items.map((i: any) => i.caseNo)).toEqual([caseNo.T5]);
  expect((await u.manager.get(`/reports/yearly/drilldown?figure=training.nope&year=${Y}`)).status).toBe(404);
});

test('org scope: townships see their own children and trainees; another county sees none of them', async () => {
  const a = (await u.managerA.get(`/reports/yearly?year=${Y}`)).body;
  expect(values(a, 'child_rehab')).toMatchObject({ served: 2, effective_rate: 50, settled_institution: 34500.5, reimbursed_family: 0, aged_out: 1, exited: 0 });
  expect(values(a, 'training')).toMatchObject({ trained: 4, certified: 2, employed: 3, retained_12m: 0, dropped_out: 0 });
  const b = (await u.managerB.get(`/reports/yearly?year=${Y}`)).body;
  expect(values(b, 'child_rehab')).toMatchObject({ served: 2, effective_rate: 100, funds_total: 24000, exited: 1 });
  expect(values(b, 'training')).toMatchObject({ enrolled: 1, dropped_out: 1, retained_12m: 1, employed: 0 });
  expect(values((await u.manager.get(`/reports/yearly?year=${Y}&orgUnitCode=${tree.townshipB.code}`)).body, 'child_rehab').funds_total).toBe(24000);
  expect((await u.managerB.get(`/reports/yearly/drilldown?figure=child_rehab.served&year=${Y}&orgUnitCode=${tree.townshipA.code}`)).status).toBe(404);

  // the other county's manager: only K7 and T7, none of this county's cases, in any figure or list
  const o = (await u.otherManager.get(`/reports/yearly?year=${Y}`)).body;
  expect(values(o, 'child_rehab')).toMatchObject({ registered: 1, approved: 1, served: 1, served_hearing: 1, effective_rate: 100, settled_institution: 77777, funds_total: 77777, aged_out: 0 });
  expect(values(o, 'training')).toMatchObject({ registered: 1, enrolled: 1, trained: 1, certified: 1, employed: 1, employed_quota_employer: 1, retained_12m: 0, employment_rate: 100 });
  const mine = new Set(Object.entries(caseNo).filter(([k]) => k !== 'K7' && k !== 'T7').map(([, v]) => v));
  for (const name of ['child_rehab', 'training']) {
    for (const fig of programme(o, name).figures) {
      const d = await u.otherManager.get(`/reports/yearly/drilldown?figure=${fig.id}&year=${Y}`);
      expect(d.body.items.filter((i: any) => mine.has(i.caseNo))).toEqual([]);
    }
  }
  expect((await u.otherManager.get(`/reports/yearly?year=${Y}&orgUnitCode=${tree.county.code}`)).status).toBe(404);
  expect((await u.otherManager.get(`/reports/yearly/drilldown?figure=training.employed&year=${Y}&orgUnitCode=${tree.townshipA.code}`)).status).toBe(404);
  expect((await u.otherManager.get(`/reports/yearly.csv?year=${Y}&orgUnitCode=${tree.county.code}`)).status).toBe(404);
});

test('CSV and Excel carry the child rehabilitation and training rows in Chinese', async () => {
  const csv = await fetch(`${h.base}/reports/yearly.csv?year=${Y}`, { headers: { authorization: `Bearer ${u.county.token}` } });
  expect(csv.status).toBe(200);
  const lines = Buffer.from(await csv.arrayBuffer()).toString('utf8').slice(1).trim().split('\r\n');
  expect(lines[0]).toBe('年度,单位编码,单位名称,项目,指标,数值,计量单位,病例数,分子,分母,指标编号,口径说明');
  const head = `${Y},${tree.county.code},测试县${tree.county.code}`;
  expect(lines).toContain(`${head},残疾儿童康复救助,救助康复儿童,4,人,4,,,child_rehab.served,当年在定点康复机构有服务协议（接受康复训练）的儿童，按人去重；按康复服务年度计，含上年延续的儿童；仅在候补名单的不计`);
  expect(lines).toContain(`${head},残疾儿童康复救助,其中：孤独症儿童,1,人,1,,,child_rehab.served_autism,救助康复儿童中康复类别为孤独症的人数（按服务协议登记的类别；各类别之和等于救助康复儿童）`);
  expect(lines).toContain(`${head},残疾儿童康复救助,康复训练有效率,75,%,4,3,4,child_rehab.effective_rate,期末评估为「有效」的人数 ÷ 完成期末评估的人数；按康复服务年度计`);
  expect(lines).toContain(`${head},残疾儿童康复救助,康复救助资金合计,58500.5,元,4,,,child_rehab.funds_total,结算机构与报销家庭之和，按结算审核日期计（元）`);
  expect(lines).toContain(`${head},职业培训与就业,培训结业,4,人,4,,,training.trained,出勤达到规定学时、完成培训的学员，按结业日期计`);
  expect(lines).toContain(`${head},职业培训与就业,其中：公益性岗位,1,人,1,,,training.employed_public_welfare,新增就业中渠道为公益性岗位的人数（同年多次安置按最后一次；各渠道之和等于新增就业人数）`);
  expect(lines).toContain(`${head},职业培训与就业,培训后就业率,75,%,4,3,4,training.employment_rate,当年结业学员中已实现就业（任一渠道，截至报表生成时）的人数 ÷ 当年结业人数`);
  expect(lines).toContain(`${head},职业培训与就业,稳定就业满12个月,1,人,1,,,training.retained_12m,12个月回访确认连续就业（稳定就业）的学员，按确认日期（结案日期）计`);

  const x = await fetch(`${h.base}/reports/yearly.xlsx?year=${Y}&orgUnitCode=${tree.townshipA.code}`, { headers: { authorization: `Bearer ${u.manager.token}` } });
  expect(x.status).toBe(200);
  const wb = new Workbook();
  await wb.xlsx.load(Buffer.from(await x.arrayBuffer()) as any);
  const ws = wb.getWorksheet('年度工作汇总')!;
  const rows: Record<string, any[]> = {};
  ws.eachRow((row, i) => {
    if (i > 4) rows[String(row.getCell(11).value)] = (row.values as any[]).slice(1);
  });
  expect(rows['child_rehab.settled_institution'].slice(3, 7)).toEqual(['残疾儿童康复救助', '结算定点机构康复费用', 34500.5, '元']);
  expect(rows['training.employed'].slice(3, 7)).toEqual(['职业培训与就业', '实现就业', 3, '人']);
  expect(rows['training.employment_rate'].slice(5, 10)).toEqual([75, '%', 4, 3, 4]);
});
