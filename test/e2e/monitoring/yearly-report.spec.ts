/**
 * The yearly report over seeded cases (read-model rows as the cataract workflow projects them):
 * the expected figures for a county, a township and another county, drill-downs that add up to
 * each figure, and the Excel / CSV exports with Chinese headers.
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

interface Seed {
  key: string;
  village: 'A' | 'B' | 'other';
  person?: string; // reuse another seed's person
  opened: string;
  closed?: string;
  outcome?: string;
  approved?: string;
  surgery?: { date: string; lens: boolean };
  settled?: { at: string; amount: number };
  indicators?: { uncorrected03At2w: boolean | null; corrected03At2w: boolean | null; outOfBlindness: boolean | null; outOfDisability: boolean | null };
}

const ALL = (v: boolean) => ({ uncorrected03At2w: v, corrected03At2w: v, outOfBlindness: v, outOfDisability: v });
const SEEDS: Seed[] = [
  { key: 'A', village: 'A', opened: '2025-03-02', approved: '2025-03-20', surgery: { date: '2025-04-10', lens: true }, settled: { at: '2025-05-06', amount: 1800 }, indicators: ALL(true), closed: '2025-08-01', outcome: 'completed' },
  { key: 'B', village: 'A', opened: '2025-05-03', approved: '2025-05-20', surgery: { date: '2025-06-10', lens: false }, settled: { at: '2025-06-30', amount: 1500 }, indicators: { uncorrected03At2w: false, corrected03At2w: true, outOfBlindness: true, outOfDisability: false }, closed: '2025-10-09', outcome: 'completed' },
  { key: 'C', village: 'A', opened: '2025-11-04', approved: '2025-12-01', surgery: { date: '2025-12-20', lens: true }, settled: { at: '2026-01-08', amount: 2000 } },
  { key: 'D', village: 'A', person: 'A', opened: '2024-12-10', approved: '2025-01-05', surgery: { date: '2025-01-15', lens: true }, settled: { at: '2025-02-10', amount: 1400 }, indicators: ALL(true), closed: '2025-05-01', outcome: 'completed' },
  { key: 'E', village: 'A', opened: '2025-07-01', closed: '2025-07-15', outcome: 'rejected' },
  { key: 'F', village: 'B', opened: '2025-02-01', approved: '2025-02-20', surgery: { date: '2025-03-01', lens: true }, settled: { at: '2025-04-01', amount: 1600 }, indicators: ALL(true), closed: '2025-07-01', outcome: 'completed' },
  { key: 'G', village: 'other', opened: '2025-02-01', approved: '2025-02-20', surgery: { date: '2025-03-01', lens: true }, settled: { at: '2025-04-01', amount: 9999 }, indicators: ALL(true), closed: '2025-07-01', outcome: 'completed' },
  { key: 'H', village: 'A', opened: '2024-03-01', approved: '2024-03-20', surgery: { date: '2024-04-01', lens: true }, settled: { at: '2024-05-01', amount: 1700 }, indicators: ALL(true), closed: '2024-08-01', outcome: 'completed' },
];
const caseNo: Record<string, string> = {};

async function seed() {
  const persons: Record<string, string> = {};
  for (const s of SEEDS) {
    const v = s.village === 'A' ? tree.villageA1 : s.village === 'B' ? tree.villageB1 : other.villageA1;
    const t = s.village === 'A' ? tree.townshipA : s.village === 'B' ? tree.townshipB : other.townshipA;
    const county = s.village === 'other' ? other.county : tree.county;
    persons[s.key] = s.person ? persons[s.person] : (await createPerson(h.ds, v.code, v.path)).id;
    const id = randomUUID();
    caseNo[s.key] = `RPT-${s.key}-${id.slice(0, 8)}`;
    const at = (d: string) => `${d}T10:00:00+08:00`;
    const data: Record<string, unknown> = { campaign: '光明行', priority: 1 };
    if (s.surgery) data.surgery = { surgeryDate: s.surgery.date, eye: 'left', lensImplanted: s.surgery.lens };
    if (s.settled) data.settlement = { amount: s.settled.amount };
    if (s.indicators) data.indicators = { ...s.indicators, lensImplanted: s.surgery?.lens ?? null };
    await h.ds.query(
      `INSERT INTO case_file (id, case_no, programme, person_id, org_unit_code, org_path, status, step, waiting_on, outcome, workflow_id, rule_version, data, projected_seq, opened_at, closed_at)
       VALUES ($1,$2,'cataract',$3,$4,$5,$6,$7,'none',$8,$9,'cataract@test',$10,1,$11,$12)`,
      [id, caseNo[s.key], persons[s.key], v.code, v.path, s.closed ? 'closed' : 'open', s.closed ? 'confirmation' : 'post_op', s.outcome ?? null,
        `case-${id}`, JSON.stringify(data), at(s.opened), s.closed ? at(s.closed) : null],
    );
    const task = async (n: number, step: string, kind: string, role: string, unit: { code: string; path: string }, done: string, decision: string) =>
      h.ds.query(
        `INSERT INTO task (id, case_id, programme, step, kind, status, assignee_role, org_unit_code, org_path, due_at, due_date, decision, created_at, completed_at, projected_seq)
         VALUES ($1,$2,'cataract',$3,$4,'completed',$5,$6,$7,$8,$9,$10,$8,$8,1)`,
        [`${id}-t${n}`, id, step, kind, role, unit.code, unit.path, at(done), done, decision],
      );
    if (s.key === 'E') await task(5, 'township_verify', 'approval', 'township_officer', t, '2025-07-15', 'reject');
    if (s.approved) await task(6, 'county_approval', 'approval', 'county_officer', county, s.approved, 'approve');
    if (s.settled) await task(9, 'settlement', 'record', 'county_officer', county, s.settled.at, 'submit');
  }
}

beforeAll(async () => {
  h = await startHarness('yearly-report');
  tree = await createTree(h.ds);
  other = await createTree(h.ds);
  u = {
    county: await h.user('county_officer', tree.county.code),
    manager: await h.user('manager', tree.county.code),
    managerA: await h.user('manager', tree.townshipA.code),
    managerB: await h.user('manager', tree.townshipB.code),
    otherManager: await h.user('manager', other.county.code),
    villager: await h.user('village_caseworker', tree.villageA1.code),
  };
  await seed();
});
afterAll(async () => h?.close());

const figuresOf = (body: any) =>
  Object.fromEntries(body.programmes.find((p: any) => p.programme === 'cataract').figures.map((f: any) => [f.key, f]));

test('county figures for the year: served, approved, surgeries, completed, money settled, outcome rates', async () => {
  const r = await u.manager.get(`/reports/yearly?year=${Y}`);
  expect(r.status).toBe(200);
  expect(r.body.orgUnit.code).toBe(tree.county.code);
  const f = figuresOf(r.body);
  const values = Object.fromEntries(Object.entries(f).map(([k, v]: [string, any]) => [k, v.value]));
  expect(values).toEqual({
    served: 5, // A, B, C, E, F registered in 2025 (D was registered in 2024; same person as A)
    registered: 5,
    approved: 5, // A, B, C, D (approved 5 January), F
    surgeries: 5, // A, B, C, D, F by surgery date
    completed: 4, // A, B, D, F (E was rejected)
    settled_cases: 4, // C's settlement is in 2026
    settled_amount: 6300, // 1800 + 1500 + 1400 + 1600
    iol_rate: 80, // 4 of 5
    uncorrected_03_2w_rate: 75, // 3 of 4 with a 2-week result (C has none yet)
    corrected_03_2w_rate: 100,
    out_of_blindness_rate: 100,
    out_of_disability_rate: 75,
  });
  expect(f.iol_rate).toMatchObject({ numerator: 4, denominator: 5, unit: '%', label: '人工晶体植入率' });
  expect(f.settled_amount).toMatchObject({ unit: '元', cases: 4, label: '结算补助金额' });
  // the other programmes show their figures, all zero here (a rate without a denominator is null);
  // yearly-report-programmes.spec.ts seeds child rehabilitation and training
  for (const p of r.body.programmes.filter((x: any) => x.programme !== 'cataract')) {
    expect(p.figures.every((x: any) => (x.kind === 'rate' ? x.value === null && x.denominator === 0 : x.value === 0))).toBe(true);
  }
});

test('every drill-down adds up to its figure', async () => {
  const r = await u.manager.get(`/reports/yearly?year=${Y}`);
  for (const p of r.body.programmes) {
    for (const fig of p.figures) {
      const d = await u.manager.get(`/reports/yearly/drilldown?figure=${fig.id}&year=${Y}`);
      expect(d.status).toBe(200);
      expect(d.body.truncated).toBe(false);
      expect(d.body.items).toHaveLength(fig.cases);
      if (fig.kind === 'cases') expect(d.body.totals.cases).toBe(fig.value);
      if (fig.kind === 'people') expect(d.body.totals.people).toBe(fig.value);
      if (fig.kind === 'sum') expect(d.body.totals.amount).toBe(fig.value);
      if (fig.kind === 'rate') {
        expect(d.body.totals.numerator).toBe(fig.numerator);
        expect(d.body.totals.rate).toBe(fig.value);
      }
    }
  }
  const s = await u.manager.get(`/reports/yearly/drilldown?figure=cataract.surgeries&year=${Y}`);
  expect(s.body.items.map((i: any) => i.caseNo).sort()).toEqual(['A', 'B', 'C', 'D', 'F'].map((k) => caseNo[k]).sort());
  expect(s.body.items.find((i: any) => i.caseNo === caseNo.D).at).toBe('2025-01-15');
  const m = await u.manager.get(`/reports/yearly/drilldown?figure=cataract.settled_amount&year=${Y}`);
  expect(m.body.items.map((i: any) => i.amount).sort()).toEqual([1400, 1500, 1600, 1800]);
  const served = await u.manager.get(`/reports/yearly/drilldown?figure=cataract.served&year=${Y}`);
  expect(served.body.items.map((i: any) => i.caseNo).sort()).toEqual(['A', 'B', 'C', 'E', 'F'].map((k) => caseNo[k]).sort());
  expect((await u.manager.get(`/reports/yearly/drilldown?figure=cataract.nope&year=${Y}`)).status).toBe(404);
  // the previous year has its own figures
  expect(figuresOf((await u.manager.get(`/reports/yearly?year=${Y - 1}`)).body).surgeries.value).toBe(1); // H
});

test('org scope: a township sees only its cases; other areas are not visible', async () => {
  const a = figuresOf((await u.managerA.get(`/reports/yearly?year=${Y}`)).body);
  expect(a.surgeries.value).toBe(4);
  expect(a.settled_amount.value).toBe(4700);
  expect(a.iol_rate.value).toBe(75); // A, C, D of A, B, C, D
  const b = figuresOf((await u.managerB.get(`/reports/yearly?year=${Y}`)).body);
  expect(b.surgeries.value).toBe(1);
  expect(b.settled_amount.value).toBe(1600);
  const viaCode = figuresOf((await u.manager.get(`/reports/yearly?year=${Y}&orgUnitCode=${tree.townshipB.code}`)).body);
  expect(viaCode.surgeries.value).toBe(1);
  expect((await u.managerB.get(`/reports/yearly?year=${Y}&orgUnitCode=${tree.county.code}`)).status).toBe(404);
  expect((await u.managerB.get(`/reports/yearly/drilldown?figure=cataract.surgeries&year=${Y}&orgUnitCode=${tree.townshipA.code}`)).status).toBe(404);
  const o = figuresOf((await u.otherManager.get(`/reports/yearly?year=${Y}`)).body);
  expect(o.settled_amount.value).toBe(9999); // G only
  expect((await u.otherManager.get(`/reports/yearly?year=${Y}&orgUnitCode=${tree.county.code}`)).status).toBe(404);
  expect((await u.villager.get(`/reports/yearly?year=${Y}`)).status).toBe(403);
  expect((await u.manager.get('/reports/yearly')).status).toBe(400);
});

test('Excel and CSV exports with Chinese headers', async () => {
  const csv = await fetch(`${h.base}/reports/yearly.csv?year=${Y}`, { headers: { authorization: `Bearer ${u.county.token}` } });
  expect(csv.status).toBe(200);
  expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
  expect(csv.headers.get('content-disposition')).toContain(`yearly-report-${tree.county.code}-${Y}.csv`);
  const text = Buffer.from(await csv.arrayBuffer()).toString('utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const lines = text.slice(1).trim().split('\r\n');
  expect(lines[0]).toBe('年度,单位编码,单位名称,项目,指标,数值,计量单位,病例数,分子,分母,指标编号,口径说明');
  expect(lines).toContain(`${Y},${tree.county.code},测试县${tree.county.code},白内障复明,白内障复明手术,5,例,5,,,cataract.surgeries,按手术日期计`);
  expect(lines).toContain(`${Y},${tree.county.code},测试县${tree.county.code},白内障复明,脱盲率,100,%,4,4,4,cataract.out_of_blindness_rate,矫正视力≥0.05`);

  const x = await fetch(`${h.base}/reports/yearly.xlsx?year=${Y}&orgUnitCode=${tree.townshipA.code}`, { headers: { authorization: `Bearer ${u.manager.token}` } });
  expect(x.status).toBe(200);
  expect(x.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const wb = new Workbook();
  await wb.xlsx.load(Buffer.from(await x.arrayBuffer()) as any);
  const ws = wb.getWorksheet('年度工作汇总')!;
  expect(String(ws.getCell('A1').value)).toBe(`甲镇（${tree.townshipA.code}）${Y} 年度工作汇总`);
  expect((ws.getRow(4).values as any[]).slice(1)).toEqual(['年度', '单位编码', '单位名称', '项目', '指标', '数值', '计量单位', '病例数', '分子', '分母', '指标编号', '口径说明']);
  const rows: Record<string, any> = {};
  ws.eachRow((row, i) => {
    if (i > 4) rows[String(row.getCell(11).value)] = row.getCell(6).value;
  });
  expect(rows['cataract.surgeries']).toBe(4);
  expect(rows['cataract.settled_amount']).toBe(4700);
  expect(rows['cataract.iol_rate']).toBe(75);
});
