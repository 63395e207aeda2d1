/**
 * "Case decided" on real services: when a case closes, the caseworker who registered it gets one
 * message with the outcome (in-app by default), through the workflow → BullMQ → channel pipeline.
 */
import { createCampaign, createPerson, createTree, shanghaiDay } from '../../setup/fixtures';
import { Client, Harness, startHarness } from '../../setup/harness';
import { until } from './receivers';

let h: Harness;
let villager: Client;
let township: Client;
let other: Client;

beforeAll(async () => {
  h = await startHarness('notify-case-decided');
  const tree = await createTree(h.ds);
  await createCampaign(h.ds, tree.county.code, { registrationStart: shanghaiDay(-30), registrationEnd: shanghaiDay(30), screeningStart: shanghaiDay(-20) });
  villager = await h.user('village_caseworker', tree.villageA1.code);
  other = await h.user('village_caseworker', tree.villageA1.code);
  township = await h.user('township_officer', tree.townshipA.code);
  const person = await createPerson(h.ds, tree.villageA1.code, tree.villageA1.path, { birth: '1950-03-04' });
  const started = await villager.post('/cases', { programme: 'cataract', personId: person.id });
  expect(started.status).toBe(201);
  const caseId = started.body.caseId;
  const screening = await until(async () => (await township.get(`/cases/${caseId}`)).body.tasks?.find((t: any) => t.step === 'screening' && t.status === 'open'), 30_000, 'screening');
  const r = await township.post(`/cases/${caseId}/tasks/${screening.taskId}/decision`, { action: 'submit', data: { suitable: false, reason: '眼底病变，不宜手术' } });
  expect(r.status).toBe(200);
  expect(r.body.status).toBe('closed');
});
afterAll(async () => h?.close());

test('the registering caseworker hears the outcome once; nobody else does', async () => {
  const mine = await until(async () => {
    const n = await villager.get('/notifications');
    return n.body.items.filter((i: any) => i.type === 'case_decided').length ? n.body.items.filter((i: any) => i.type === 'case_decided') : undefined;
  }, 30_000, 'the case-closed message');
  expect(mine).toHaveLength(1);
  expect(mine[0].title).toMatch(/^个案已办结：CAT-/);
  expect(mine[0].body).toContain('经筛查不适宜手术');
  await new Promise((res) => setTimeout(res, 1000));
  expect((await villager.get('/notifications')).body.items.filter((i: any) => i.type === 'case_decided')).toHaveLength(1);
  expect((await other.get('/notifications')).body.items.filter((i: any) => i.type === 'case_decided')).toEqual([]);
  expect((await township.get('/notifications')).body.items.filter((i: any) => i.type === 'case_decided')).toEqual([]);
});
