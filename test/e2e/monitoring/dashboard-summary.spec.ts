/**
 * What the manager dashboard reads from GET /monitoring/summary on the real stack: open cases per
 * programme (and how many have an overdue task), cases closed in the last 30 days, and the weekly
 * SLA compliance trend (of the tasks due each week: completed by their due time, late, still
 * pending), limited to the requester's org scope. The tasks' dates and outcomes are set in the read
 * model (a real time limit is ≥ 1 working day), plus a few extra task rows on the same cases.
 *
 * Also: the case's link to its workflow in the Temporal UI goes to the operators (admin, manager)
 * only; every other role gets null.
 */
import { createCampaign, createPerson, createTree, shanghaiDay, Tree } from '../../setup/fixtures';
import { Client, Harness, startHarness } from '../../setup/harness';

const TEMPORAL_UI = 'http://temporal-ui.test:8233';

let h: Harness;
let tree: Tree;
let other: Tree;
let u: Record<string, Client>;

beforeAll(async () => {
  h = await startHarness('dashboard', { TEMPORAL_UI_URL: TEMPORAL_UI });
  tree = await createTree(h.ds);
  other = await createTree(h.ds);
  for (const t of [tree, other]) await createCampaign(h.ds, t.county.code, { registrationStart: shanghaiDay(-30), registrationEnd: shanghaiDay(30), screeningStart: shanghaiDay(-20) });
  u = {
    villager: await h.user('village_caseworker', tree.villageA1.code),
    otherVillager: await h.user('village_caseworker', other.villageA1.code),
    township: await h.user('township_officer', tree.townshipA.code),
    county: await h.user('county_officer', tree.county.code),
    manager: await h.user('manager', tree.county.code),
    managerB: await h.user('manager', tree.townshipB.code),
    admin: await h.user('admin', tree.county.code),
  };
});
afterAll(async () => h?.close());

const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const monday = (d: string) => addDays(d, -((new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7));

async function startCase(villager: Client, village: { code: string; path: string }) {
  const p = await createPerson(h.ds, village.code, village.path, { birth: '1950-02-03' });
  const r = await villager.post('/cases', { programme: 'cataract', personId: p.id });
  expect(r.status).toBe(201);
  const caseId = r.body.caseId as string;
  for (let i = 0; i < 100; i++) {
    const [t] = await h.ds.query(`SELECT id FROM task WHERE case_id = $1 AND step = 'screening' AND status = 'open'`, [caseId]);
    if (t) return { caseId, screening: t.id as string };
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('screening task never projected');
}

/** Sets a task's due date (due at the end of that Shanghai day), status and completion relative to the due time. */
async function setTask(id: string, due: string, status: 'open' | 'completed' | 'cancelled', completed?: 'early' | 'late') {
  const offset = completed === 'early' ? "- interval '1 day'" : completed === 'late' ? "+ interval '1 day'" : null;
  await h.ds.query(
    `UPDATE task SET status = $2, due_date = $3::date,
            due_at = ($3::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai' - interval '1 millisecond',
            completed_at = ${offset ? `($3::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai' ${offset}` : 'NULL'}
     WHERE id = $1`,
    [id, status, due],
  );
}

/** Another task row of the same case (a copy of `from` under a new id), then set as `setTask`. */
async function extraTask(from: string, n: number, due: string, status: 'open' | 'completed' | 'cancelled', completed?: 'early' | 'late') {
  const [{ case_id }] = await h.ds.query(`SELECT case_id FROM task WHERE id = $1`, [from]);
  const id = `${case_id}-t9${n}`;
  await h.ds.query(
    `INSERT INTO task (id, case_id, programme, step, kind, status, assignee_role, org_unit_code, org_path, partner_id, due_at, due_date, created_at, projected_seq)
     SELECT $2, case_id, programme, step, kind, status, assignee_role, org_unit_code, org_path, partner_id, due_at, due_date, created_at, 0 FROM task WHERE id = $1`,
    [from, id],
  );
  await setTask(id, due, status, completed);
  return id;
}

let one: { caseId: string; screening: string };

test('summary: open cases per programme, closed in 30 days, the weekly SLA compliance trend, in scope', async () => {
  const w0 = monday(shanghaiDay(0));
  const week = (k: number) => addDays(w0, -7 * k); // the Monday k weeks ago
  one = await startCase(u.villager, tree.villageA1);
  const two = await startCase(u.villager, tree.villageA1);
  const closed = await startCase(u.villager, tree.villageA1);
  const elsewhere = await startCase(u.otherVillager, other.villageA1);

  // case one: done on time 3 weeks ago, once late that week, once on time 2 weeks ago (one cancelled
  // that week: not counted), one due this Sunday still open (pending), one on time 5 weeks ago
  await setTask(one.screening, addDays(week(3), 2), 'completed', 'early');
  await extraTask(one.screening, 1, addDays(week(3), 4), 'completed', 'late');
  await extraTask(one.screening, 2, addDays(week(2), 0), 'completed', 'early');
  await extraTask(one.screening, 3, addDays(week(2), 1), 'cancelled');
  await extraTask(one.screening, 4, addDays(w0, 6), 'open');
  await extraTask(one.screening, 5, addDays(week(5), 3), 'completed', 'early');
  // case two: its screening and another task open and past due last week
  await setTask(two.screening, addDays(week(1), 1), 'open');
  await extraTask(two.screening, 1, addDays(week(1), 3), 'open');
  // a case closed 3 days ago (its task cancelled); a case of another county, on time last week
  await h.ds.query(`UPDATE case_file SET status = 'closed', closed_at = now() - interval '3 days' WHERE id = $1`, [closed.caseId]);
  await setTask(closed.screening, addDays(week(1), 2), 'cancelled');
  await setTask(elsewhere.screening, addDays(week(1), 2), 'completed', 'early');

  const s = await u.manager.get('/monitoring/summary?weeks=4');
  expect(s.status).toBe(200);
  expect(s.body.openCases).toEqual({ total: 2, withOverdueTask: 1, closedLast30Days: 1, byProgramme: [{ programme: 'cataract', open: 2, withOverdueTask: 1 }] });
  expect(s.body.counts.overdue).toBe(2);
  expect(s.body.slaTrend).toEqual([
    { weekStart: week(3), weekEnd: addDays(week(3), 6), due: 2, onTime: 1, late: 1, pending: 0, rate: 50 },
    { weekStart: week(2), weekEnd: addDays(week(2), 6), due: 1, onTime: 1, late: 0, pending: 0, rate: 100 },
    { weekStart: week(1), weekEnd: addDays(week(1), 6), due: 2, onTime: 0, late: 2, pending: 0, rate: 0 },
    { weekStart: w0, weekEnd: addDays(w0, 6), due: 1, onTime: 0, late: 0, pending: 1, rate: null },
  ]);

  // default: 12 weeks ending with this one; the task of 5 weeks ago is in it
  const d = await u.manager.get('/monitoring/summary');
  expect(d.body.slaTrend).toHaveLength(12);
  expect(d.body.slaTrend[0].weekStart).toBe(week(11));
  expect(d.body.slaTrend.find((x: any) => x.weekStart === week(5))).toMatchObject({ due: 1, onTime: 1, late: 0, rate: 100 });
  expect(d.body.slaTrend.reduce((n: number, x: any) => n + x.due, 0)).toBe(7);

  // another programme: nothing; a township without these cases: nothing; bad weeks: 400
  const rehab = await u.manager.get('/monitoring/summary?weeks=4&programme=child_rehab');
  expect(rehab.body.openCases).toEqual({ total: 0, withOverdueTask: 0, closedLast30Days: 0, byProgramme: [] });
  expect(rehab.body.slaTrend.map((x: any) => x.due)).toEqual([0, 0, 0, 0]);
  const b = await u.managerB.get('/monitoring/summary?weeks=4');
  expect(b.body.openCases.total).toBe(0);
  expect(b.body.slaTrend.map((x: any) => x.due)).toEqual([0, 0, 0, 0]);
  expect((await u.manager.get('/monitoring/summary?weeks=0')).status).toBe(400);
  expect((await u.manager.get('/monitoring/summary?weeks=27')).status).toBe(400);
});

test('the Temporal UI link of a case: admin and manager get it, the other roles get null', async () => {
  for (const key of ['admin', 'manager']) {
    const r = await u[key].get(`/cases/${one.caseId}`);
    expect(r.status).toBe(200);
    expect(r.body.case.temporalUiUrl).toBe(`${TEMPORAL_UI}/namespaces/default/workflows/${r.body.case.workflowId}`);
  }
  for (const key of ['villager', 'township', 'county']) {
    const r = await u[key].get(`/cases/${one.caseId}`);
    expect(r.status).toBe(200);
    expect(r.body.case.temporalUiUrl).toBeNull();
  }
});
