/**
 * Concurrency over HTTP (api + worker of the harness on the shared services):
 *  - 200 concurrent decisions on one task: exactly one wins, every other gets 409, and the case
 *    moves on exactly once. All 200 requests are in flight together (Promise.all of 200 fetches).
 *  - more concurrent registrations than the api has database connections all succeed.
 */
import { Client, Harness, startHarness } from '../setup/harness';
import { createCampaign, createHospital, createPerson, createTree, shanghaiDay, Tree } from '../setup/fixtures';
import { timelineProblems } from './fault-stack';

jest.setTimeout(180_000);
const RACERS = 200;
let h: Harness;
let tree: Tree;
let hospital: string;
let villager: Client;
let officers: Client[];

beforeAll(async () => {
  h = await startHarness('race');
  tree = await createTree(h.ds);
  hospital = (await createHospital(h.ds, tree.county.code)).id;
  await createCampaign(h.ds, tree.county.code, { registrationStart: shanghaiDay(-30), registrationEnd: shanghaiDay(30), screeningStart: shanghaiDay(-20) });
  villager = await h.user('village_caseworker', tree.villageA1.code);
  officers = [];
  for (let i = 0; i < 4; i++) officers.push(await h.user('township_officer', tree.townshipA.code));
});
afterAll(async () => h?.close());

async function openTask(caseId: string, step: string) {
  for (let i = 0; i < 300; i++) {
    const rows = await h.ds.query(`SELECT id FROM task WHERE case_id = $1 AND step = $2 AND status = 'open'`, [caseId, step]);
    if (rows[0]) return rows[0].id as string;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`task ${step} never opened`);
}

/** Fires all requests at once and returns [racer index, status, body] for each. */
async function race(caseId: string, taskId: string, body: (i: number) => unknown) {
  let go!: () => void;
  const gate = new Promise<void>((r) => (go = r));
  const all = Array.from({ length: RACERS }, async (_, i) => {
    await gate;
    const r = await officers[i % officers.length].post(`/cases/${caseId}/tasks/${taskId}/decision`, body(i));
    return { i, status: r.status, body: r.body };
  });
  const t0 = Date.now();
  go();
  const results = await Promise.all(all);
  const ms = Date.now() - t0;
  const byStatus: Record<string, number> = {};
  const byCode: Record<string, number> = {};
  for (const r of results) {
    byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    const k = `${r.status} ${r.body?.code ?? ''}`.trim();
    byCode[k] = (byCode[k] ?? 0) + 1;
  }
  console.log(`${RACERS} concurrent decisions on ${taskId}: ${JSON.stringify(byCode)} in ${ms} ms`);
  return { results, byStatus, byCode };
}

test(`${RACERS} concurrent decisions on the same task: exactly one wins, the others get 409`, async () => {
  const person = await createPerson(h.ds, tree.villageA1.code, tree.villageA1.path, { birth: '1950-01-02' });
  const started = await villager.post('/cases', { programme: 'cataract', personId: person.id });
  expect(started.status).toBe(201);
  const caseId = started.body.caseId;

  // 1. A record task: each racer submits different data, so the stored result names the winner.
  const screening = await openTask(caseId, 'screening');
  const r1 = await race(caseId, screening, (i) => ({ action: 'submit', data: { suitable: true, eye: i % 2 ? 'left' : 'right', uncorrectedAcuity: (i % 100) / 100 } }));
  expect(r1.byStatus).toEqual({ 200: 1, 409: RACERS - 1 });
  const win1 = r1.results.find((r) => r.status === 200)!;
  const [task] = await h.ds.query(`SELECT status, decided_by FROM task WHERE id = $1`, [screening]);
  expect(task).toEqual({ status: 'completed', decided_by: officers[win1.i % officers.length].userId });
  const [c1] = await h.ds.query(`SELECT data FROM case_file WHERE id = $1`, [caseId]);
  expect(c1.data.screening.uncorrectedAcuity).toBe((win1.i % 100) / 100);
  const submitted = await h.ds.query(`SELECT count(*)::int AS n FROM case_event WHERE task_id = $1 AND type = 'task_submitted'`, [screening]);
  expect(submitted[0].n).toBe(1);
  // the next step opened once
  const next = await h.ds.query(`SELECT count(*)::int AS n FROM task WHERE case_id = $1 AND step = 'hospital_choice'`, [caseId]);
  expect(next[0].n).toBe(1);

  // 2. An approval: half approve, half reject, at once; one decision, and the case follows it.
  await villager.post(`/cases/${caseId}/tasks/${await openTask(caseId, 'hospital_choice')}/decision`, { action: 'submit', data: { partnerId: hospital } });
  const doctor = await h.user('partner_staff', tree.county.code, hospital);
  const preOp = await openTask(caseId, 'pre_op_check');
  expect((await doctor.post(`/cases/${caseId}/tasks/${preOp}/decision`, { action: 'submit', data: { fit: true, eye: 'left' } })).status).toBe(200);
  const verify = await openTask(caseId, 'township_verify');
  const r2 = await race(caseId, verify, (i) => (i % 2 ? { action: 'approve' } : { action: 'reject', reason: `racer ${i}` }));
  expect(r2.byStatus).toEqual({ 200: 1, 409: RACERS - 1 });
  const win2 = r2.results.find((r) => r.status === 200)!;
  const [v] = await h.ds.query(`SELECT decision, decided_by FROM task WHERE id = $1`, [verify]);
  expect(v.decision).toBe(win2.i % 2 ? 'approve' : 'reject');
  const decided = await h.ds.query(`SELECT count(*)::int AS n FROM case_event WHERE task_id = $1 AND type = 'task_decided'`, [verify]);
  expect(decided[0].n).toBe(1);
  if (v.decision === 'approve') await openTask(caseId, 'county_approval');
  else {
    for (let i = 0; i < 100; i++) {
      const [c] = await h.ds.query(`SELECT status, outcome FROM case_file WHERE id = $1`, [caseId]);
      if (c.status === 'closed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await h.ds.query(`SELECT outcome FROM case_file WHERE id = $1`, [caseId]))[0].outcome).toBe('rejected');
  }
  expect(await timelineProblems(h.ds, caseId)).toEqual([]);
});

test('three times as many concurrent registrations as the api has database connections all succeed (no pool deadlock)', async () => {
  // DATABASE_POOL_SIZE defaults to 10: thirty caseworkers pressing "register" at the same moment.
  const n = 30;
  const people = [];
  for (let i = 0; i < n; i++) people.push(await createPerson(h.ds, tree.villageA1.code, tree.villageA1.path, { birth: '1952-02-03' }));
  const t0 = Date.now();
  const res = await Promise.all(people.map((p) => villager.post('/cases', { programme: 'cataract', personId: p.id })));
  const statuses = res.map((r) => `${r.status} ${r.body?.code ?? ''}`.trim());
  console.log(`${n} concurrent POST /cases: ${JSON.stringify(statuses)} in ${Date.now() - t0} ms`);
  expect(statuses).toEqual(Array(n).fill('201'));
});
