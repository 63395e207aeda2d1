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

test('a caseworker who switches to English gets the next message in English (PUT /auth/me/locale)', async () => {
  const bad = await other.put('/auth/me/locale', { locale: 'fr' });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body.message)).toContain('locale 须为 zh-CN 或 en / locale must be zh-CN or en');
  expect((await other.get('/auth/me')).body.locale).toBe('zh-CN'); // nothing written
  const set = await other.put('/auth/me/locale', { locale: 'en' });
  expect(set.status).toBe(200);
  expect(set.body).toEqual({ locale: 'en' });
  expect((await other.get('/auth/me')).body.locale).toBe('en');

  const tree = await createTree(h.ds);
  await createCampaign(h.ds, tree.county.code, { registrationStart: shanghaiDay(-30), registrationEnd: shanghaiDay(30), screeningStart: shanghaiDay(-20) });
  const en = await h.user('village_caseworker', tree.villageA1.code);
  const officer = await h.user('township_officer', tree.townshipA.code);
  expect((await en.put('/auth/me/locale', { locale: 'en' })).status).toBe(200);
  const person = await createPerson(h.ds, tree.villageA1.code, tree.villageA1.path, { birth: '1950-03-04' });
  const started = await en.post('/cases', { programme: 'cataract', personId: person.id });
  expect(started.status).toBe(201);
  const caseId = started.body.caseId;
  const screening = await until(async () => (await officer.get(`/cases/${caseId}`)).body.tasks?.find((t: any) => t.step === 'screening' && t.status === 'open'), 30_000, 'screening');
  expect((await officer.post(`/cases/${caseId}/tasks/${screening.taskId}/decision`, { action: 'submit', data: { suitable: false, reason: '眼底病变，不宜手术' } })).status).toBe(200);
  const mine = await until(async () => (await en.get('/notifications')).body.items.find((i: any) => i.type === 'case_decided'), 30_000, 'the English case-closed message');
  expect(mine.title).toBe(`Case closed: ${started.body.caseNo}`);
  expect(mine.body).toMatch(/is closed: /);
});
