/**
 * Organisational scope on every case endpoint: a caseworker of village A1 gets 403/404 for a case
 * of village B1; partner staff see only cases referred to their institution.
 */
import { Client, Harness, startHarness } from '../setup/harness';
import { createCampaign, createHospital, createPerson, createTree, shanghaiDay, Tree } from '../setup/fixtures';

let h: Harness;
let tree: Tree;
let caseB: string;
let taskB: string;
let a1: Client;
let b1: Client;
let otherHospitalStaff: Client;

beforeAll(async () => {
  h = await startHarness('scope');
  tree = await createTree(h.ds);
  const other = (await createHospital(h.ds, tree.county.code)).id;
  await createCampaign(h.ds, tree.county.code, { registrationStart: shanghaiDay(-5), registrationEnd: shanghaiDay(5), screeningStart: shanghaiDay(-1) });
  a1 = await h.user('village_caseworker', tree.villageA1.code);
  b1 = await h.user('village_caseworker', tree.villageB1.code);
  otherHospitalStaff = await h.user('partner_staff', tree.county.code, other);
  const person = await createPerson(h.ds, tree.villageB1.code, tree.villageB1.path);
  const r = await b1.post('/cases', { programme: 'cataract', personId: person.id });
  expect(r.status).toBe(201);
  caseB = r.body.caseId;
  for (let i = 0; i < 100 && !taskB; i++) {
    const d = await b1.get(`/cases/${caseB}`);
    taskB = d.body.tasks?.find((t: any) => t.status === 'open')?.taskId;
    if (!taskB) await new Promise((res) => setTimeout(res, 100));
  }
  expect(taskB).toBeDefined();
});
afterAll(async () => h?.close());

test.each([
  ['GET', () => `/cases/${caseB}`],
  ['GET', () => `/cases/${caseB}/tasks`],
  ['POST', () => `/cases/${caseB}/tasks/${taskB}/claim`],
  ['POST', () => `/cases/${caseB}/tasks/${taskB}/decision`],
  ['POST', () => `/cases/${caseB}/tasks/${taskB}/followup`],
])('village A1 caseworker: %s %s on a village B1 case is refused', async (method, path) => {
  for (const who of [a1, otherHospitalStaff]) {
    const body = path().endsWith('decision') ? { action: 'submit', data: { suitable: false, reason: 'x' } } : path().endsWith('followup') ? { data: { reached: false } } : undefined;
    const r = method === 'GET' ? await who.get(path()) : await who.post(path(), body);
    expect([403, 404]).toContain(r.status);
  }
});

test('lists and inboxes never show the other village’s case or tasks', async () => {
  const list = await a1.get('/cases?limit=100');
  expect(list.body.items.map((c: any) => c.caseId)).not.toContain(caseB);
  const inbox = await a1.get('/inbox?limit=100');
  expect(inbox.body.items.map((t: any) => t.caseId)).not.toContain(caseB);
  const fu = await otherHospitalStaff.get('/followups?status=all');
  expect(fu.body.items.map((t: any) => t.caseId)).not.toContain(caseB);
  const own = await b1.get('/cases?limit=100');
  expect(own.body.items.map((c: any) => c.caseId)).toContain(caseB);
});

test('a person of village B1 cannot be registered by the village A1 caseworker', async () => {
  const p = await createPerson(h.ds, tree.villageB1.code, tree.villageB1.path);
  expect((await a1.post('/cases/precheck', { programme: 'cataract', personId: p.id })).status).toBe(404);
  expect((await a1.post('/cases', { programme: 'cataract', personId: p.id })).status).toBe(404);
});
