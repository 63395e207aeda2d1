/**
 * GET /inbox over HTTP on the real stack: the step and due filters and keyset pages, with the
 * exact task ids expected on every page. The township officer of a county of its own holds six
 * cataract tasks (five screenings, one township verification).
 */
import { Client, Harness, startHarness } from '../setup/harness';
import { createCampaign, createHospital, createPerson, createTree, shanghaiDay, Tree } from '../setup/fixtures';

let h: Harness;
let tree: Tree;
let officer: Client;
let peer: Client;
/** The five screening tasks, in the order their cases were registered. */
const screening: string[] = [];
let verify: string;

async function until<T>(fn: () => Promise<T | null | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 150; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function openTask(c: Client, caseId: string, step: string): Promise<string> {
  return until(async () => (await c.get(`/cases/${caseId}`)).body?.tasks?.find((t: any) => t.step === step && t.status === 'open')?.taskId, `${step} of ${caseId}`);
}

/**
 * Sets a task's due day in the read model the inbox reads (end of that day, Asia/Shanghai, as the
 * workflow projects it), so the order and the due filters do not depend on today's calendar.
 */
async function dueOn(taskId: string, day: string) {
  await h.ds.query(`UPDATE task SET due_date = $2, due_at = $3 WHERE id = $1`, [taskId, day, `${day}T23:59:59.999+08:00`]);
}

beforeAll(async () => {
  h = await startHarness('inbox');
  tree = await createTree(h.ds);
  const hospital = (await createHospital(h.ds, tree.county.code)).id;
  await createCampaign(h.ds, tree.county.code, { registrationStart: shanghaiDay(-10), registrationEnd: shanghaiDay(10), screeningStart: shanghaiDay(-5) });
  const villager = await h.user('village_caseworker', tree.villageA1.code);
  officer = await h.user('township_officer', tree.townshipA.code);
  peer = await h.user('township_officer', tree.townshipA.code);
  const doctor = await h.user('partner_staff', tree.county.code, hospital);
  const cases: string[] = [];
  for (let i = 0; i < 6; i++) {
    const p = await createPerson(h.ds, tree.villageA1.code, tree.villageA1.path);
    const r = await villager.post('/cases', { programme: 'cataract', personId: p.id });
    expect(r.status).toBe(201);
    cases.push(r.body.caseId);
  }
  for (const c of cases.slice(0, 5)) screening.push(await openTask(officer, c, 'screening'));
  // the sixth case goes on to the township verification
  const c6 = cases[5];
  const s6 = await openTask(officer, c6, 'screening');
  expect((await officer.post(`/cases/${c6}/tasks/${s6}/decision`, { action: 'submit', data: { suitable: true, eye: 'left' } })).status).toBe(200);
  const hc = await openTask(villager, c6, 'hospital_choice');
  expect((await villager.post(`/cases/${c6}/tasks/${hc}/decision`, { action: 'submit', data: { partnerId: hospital } })).status).toBe(200);
  const po = await openTask(doctor, c6, 'pre_op_check');
  expect((await doctor.post(`/cases/${c6}/tasks/${po}/decision`, { action: 'submit', data: { fit: true, eye: 'left' } })).status).toBe(200);
  verify = await openTask(officer, c6, 'township_verify');
  // due days chosen against registration order: S2 yesterday (overdue), S4 today, S3 in 3 days,
  // S5 in 10, S1 in 20; the verification in 2 days
  await dueOn(screening[0], shanghaiDay(20));
  await dueOn(screening[1], shanghaiDay(-1));
  await dueOn(screening[2], shanghaiDay(3));
  await dueOn(screening[3], shanghaiDay(0));
  await dueOn(screening[4], shanghaiDay(10));
  await dueOn(verify, shanghaiDay(2));
});
afterAll(async () => h?.close());

/** Follows nextCursor from the first page to the last; returns the task ids of each page. */
async function pages(c: Client, query: string): Promise<string[][]> {
  const out: string[][] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 10; i++) {
    const r = await c.get(`/inbox?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(r.status).toBe(200);
    out.push(r.body.items.map((t: any) => t.taskId));
    cursor = r.body.nextCursor;
    if (!cursor) return out;
  }
  throw new Error('more than 10 pages');
}

const [S1, S2, S3, S4, S5] = [0, 1, 2, 3, 4].map((i) => () => screening[i]);

test('step filter, earliest due first, two per page: three pages with exactly the expected tasks', async () => {
  expect(await pages(officer, 'step=screening&limit=2')).toEqual([
    [S2(), S4()],
    [S3(), S5()],
    [S1()],
  ]);
  expect(await pages(officer, 'step=township_verify&limit=2')).toEqual([[verify]]);
  // without a step filter the verification takes its place by due date
  expect(await pages(officer, 'programme=cataract&limit=2')).toEqual([
    [S2(), S4()],
    [verify, S3()],
    [S5(), S1()],
  ]);
});

test('due filters: overdue, today, this week (with paging)', async () => {
  expect(await pages(officer, 'step=screening&due=overdue')).toEqual([[S2()]]);
  expect(await pages(officer, 'step=screening&due=today')).toEqual([[S4()]]);
  expect(await pages(officer, 'step=screening&due=week&limit=2')).toEqual([[S2(), S4()], [S3()]]);
  expect(await pages(officer, 'due=week&limit=1')).toEqual([[S2()], [S4()], [verify], [S3()]]);
  const overdue = (await officer.get('/inbox?due=overdue')).body.items;
  expect(overdue.map((t: any) => [t.taskId, t.overdue, t.dueDate])).toEqual([[S2(), true, shanghaiDay(-1)]]);
});

test('a claimed task leaves the peer’s claimable pages and shows in the claimer’s own', async () => {
  const caseId = (await officer.get(`/inbox?step=screening&due=today`)).body.items[0].caseId;
  expect((await officer.post(`/cases/${caseId}/tasks/${S4()}/claim`)).status).toBe(200);
  expect(await pages(peer, 'view=claimable&step=screening&limit=2')).toEqual([[S2(), S3()], [S5(), S1()]]);
  expect(await pages(officer, 'view=mine')).toEqual([[S4()]]);
  expect(await pages(officer, 'step=screening&limit=2')).toEqual([[S2(), S4()], [S3(), S5()], [S1()]]);
});

test('a forged cursor, a zero page size or an unknown due filter is a 400, never a 500', async () => {
  expect((await officer.get('/inbox?cursor=garbage')).status).toBe(400);
  expect((await officer.get('/inbox?limit=0')).status).toBe(400);
  expect((await officer.get('/inbox?due=yesterday')).status).toBe(400);
});
