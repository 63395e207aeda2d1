/**
 * Programme settings versions on the real api: a new version per programme + jurisdiction +
 * effective date, settings checked against the shape the workflows read, never edited in place.
 */
import { randomUUID } from 'node:crypto';
import { Client, Harness, startHarness } from '../setup/harness';
import { createTree, Tree } from '../setup/fixtures';
import { shanghaiToday } from '../../src/calendar/iso-date';

let h: Harness;
let tree: Tree;
let other: Tree;
let admin: Client;
let manager: Client;
let townManager: Client;
let otherManager: Client;
let cw: Client;

const nextYear = Number(shanghaiToday().slice(0, 4)) + 1;
const settings = {
  steps: { screening: { workingDays: 8, remindBefore: [2, 1] }, county_approval: { workingDays: 12 } },
  followUps: [
    { step: 'followup_day1', dueAfterDays: 1, mode: 'visit' },
    { step: 'followup_phone', dueAfterDays: 5, windowFromDays: 3, mode: 'phone' },
  ],
  amounts: { settlementMin: 1500, settlementMax: 2100 },
  rules: { oneEyePerYear: false },
};

beforeAll(async () => {
  h = await startHarness('programme-config');
  tree = await createTree(h.ds);
  other = await createTree(h.ds);
  [admin, manager, townManager, otherManager, cw] = await Promise.all([
    h.user('admin', tree.city.code),
    h.user('manager', tree.county.code),
    h.user('manager', tree.townshipA.code),
    h.user('manager', other.county.code),
    h.user('village_caseworker', tree.villageA1.code),
  ]);
});
afterAll(async () => h?.close());

function dto(over: Record<string, unknown> = {}) {
  return { programme: 'cataract', orgUnitCode: tree.county.code, effectiveFrom: `${nextYear}-01-01`, settings, ...over };
}

it('creates a version "<programme>@<org>@<date>"; the same programme + org + date again → 409', async () => {
  const r = await manager.post('/admin/programme-configs', dto());
  expect(r.status).toBe(201);
  expect(r.body).toMatchObject({
    programme: 'cataract',
    orgUnitCode: tree.county.code,
    effectiveFrom: `${nextYear}-01-01`,
    version: `cataract@${tree.county.code}@${nextYear}-01-01`,
    settings,
    createdBy: manager.userId,
  });
  const dup = await admin.post('/admin/programme-configs', dto({ settings: { steps: {} } }));
  expect(dup.status).toBe(409);
  expect(dup.body.code).toBe('CONFIG_EXISTS');
  // A later date is a new version; today is allowed.
  expect((await manager.post('/admin/programme-configs', dto({ effectiveFrom: `${nextYear}-07-01` }))).status).toBe(201);
  // Today is allowed (on this suite's own county only: a city-level row would reach other suites' cases).
  expect((await admin.post('/admin/programme-configs', dto({ effectiveFrom: shanghaiToday(), settings: { steps: {} } }))).status).toBe(201);
});

it('simultaneous creations of one version: exactly one 201, the rest 409', async () => {
  const rs = await Promise.all(Array.from({ length: 5 }, () => manager.post('/admin/programme-configs', dto({ effectiveFrom: `${nextYear}-09-09` }))));
  expect(rs.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
  expect(rs.filter((r) => r.status === 409).every((r) => r.body.code === 'CONFIG_EXISTS')).toBe(true);
});

it('lists the versions on the caller’s path and below, filtered by programme', async () => {
  const r = await townManager.get('/admin/programme-configs?programme=cataract');
  expect(r.status).toBe(200);
  const versions = r.body.items.map((c: any) => c.version);
  expect(versions).toEqual(expect.arrayContaining([`cataract@${tree.county.code}@${nextYear}-01-01`, `cataract@${tree.county.code}@${nextYear}-07-01`]));
  expect(r.body.items.every((c: any) => c.programme === 'cataract')).toBe(true);
  const others = await otherManager.get('/admin/programme-configs');
  expect(others.body.items.map((c: any) => c.orgUnitCode)).not.toContain(tree.county.code);
  const mine = r.body.items.find((c: any) => c.orgUnitCode === tree.county.code).id;
  expect((await otherManager.get(`/admin/programme-configs/${mine}`)).status).toBe(404);
  expect((await manager.get(`/admin/programme-configs/${mine}`)).status).toBe(200);
  expect((await manager.get(`/admin/programme-configs/not-a-uuid`)).status).toBe(400);
  expect((await manager.get(`/admin/programme-configs/${randomUUID()}`)).status).toBe(404);
});

it('settings of the wrong shape → 422 SETTINGS_INVALID naming each problem', async () => {
  const cases: [unknown, string][] = [
    [{ steps: { screening: { workingDays: 400 } } }, 'settings.steps.screening.workingDays'],
    [{ steps: { screening: { workingDays: 2.5 } } }, 'settings.steps.screening.workingDays'],
    [{ steps: { screening: { workingDays: 5, remindBefore: ['1'] } } }, 'settings.steps.screening.remindBefore'],
    [{ steps: { screening: { workingDays: 5, remindBefore: [5] } } }, 'settings.steps.screening.remindBefore'],
    [{ steps: { screening: { workingDays: 5, remind: [1] } } }, 'settings.steps.screening.remind'],
    [{ steps: { screning: { workingDays: 5 } } }, 'settings.steps.screning'],
    [{}, 'settings.steps'],
    [{ steps: {}, stepz: {} }, 'settings.stepz'],
    [{ steps: {}, followUps: [{ step: 'followup_x', dueAfterDays: 3, mode: 'email' }] }, 'settings.followUps[0].mode'],
    [{ steps: {}, followUps: [{ step: 'f', dueAfterDays: 3, windowFromDays: 5, mode: 'phone' }] }, 'settings.followUps[0].windowFromDays'],
    [{ steps: {}, followUps: {} }, 'settings.followUps'],
    [{ steps: {}, amounts: { settlementMin: -1 } }, 'settings.amounts.settlementMin'],
    [{ steps: {}, amounts: { bonus: 5 } }, 'settings.amounts.bonus'],
    [{ steps: {}, rules: [1] }, 'settings.rules'],
  ];
  for (const [s, path] of cases) {
    const r = await manager.post('/admin/programme-configs', dto({ settings: s, effectiveFrom: `${nextYear}-03-03` }));
    expect([r.status, r.body.code]).toEqual([422, 'SETTINGS_INVALID']);
    expect(r.body.details.map((d: any) => d.path)).toContain(path);
    expect(r.body.message).toContain(' / invalid settings: ');
  }
  const [{ n }] = await h.ds.query(`SELECT count(*)::int AS n FROM programme_config WHERE org_unit_code = $1 AND effective_from = $2`, [tree.county.code, `${nextYear}-03-03`]);
  expect(n).toBe(0);
});

it('a compressed calendar (months of minutes) → 422 SETTINGS_INVALID unless the stack sets ALLOW_COMPRESSED_CALENDAR', async () => {
  // This harness, like production, does not set the flag (the demo run command does: seed/demo-child-cases.ts).
  const r = await manager.post('/admin/programme-configs', dto({ programme: 'child_rehab', effectiveFrom: `${nextYear}-03-04`, settings: { steps: {}, rules: { compressedCalendar: { monthSeconds: 600, yearSeconds: 7200 } } } }));
  expect([r.status, r.body.code]).toEqual([422, 'SETTINGS_INVALID']);
  expect(r.body.details.map((d: any) => d.path)).toEqual(['settings.rules.compressedCalendar']);
  expect(r.body.message).toContain('ALLOW_COMPRESSED_CALENDAR');
  const [{ n }] = await h.ds.query(`SELECT count(*)::int AS n FROM programme_config WHERE org_unit_code = $1 AND effective_from = $2`, [tree.county.code, `${nextYear}-03-04`]);
  expect(n).toBe(0);
});

it('other rule violations → 422; malformed requests → 400', async () => {
  const past = await manager.post('/admin/programme-configs', dto({ effectiveFrom: '2020-01-01' }));
  expect([past.status, past.body.code]).toEqual([422, 'EFFECTIVE_IN_PAST']);
  const unknown = await manager.post('/admin/programme-configs', dto({ programme: 'space_travel' }));
  expect([unknown.status, unknown.body.code]).toEqual([422, 'UNKNOWN_PROGRAMME']);
  const village = await manager.post('/admin/programme-configs', dto({ orgUnitCode: tree.villageA1.code }));
  expect([village.status, village.body.code]).toEqual([422, 'ORG_LEVEL']);
  const noOrg = await manager.post('/admin/programme-configs', dto({ orgUnitCode: '999999' }));
  expect([noOrg.status, noOrg.body.code]).toEqual([422, 'ORG_UNKNOWN']);

  expect((await manager.post('/admin/programme-configs', dto({ settings: [] }))).status).toBe(400);
  expect((await manager.post('/admin/programme-configs', dto({ settings: 'fast' }))).status).toBe(400);
  expect((await manager.post('/admin/programme-configs', { programme: 'cataract', orgUnitCode: tree.county.code, effectiveFrom: `${nextYear}-01-02` })).status).toBe(400);
  expect((await manager.post('/admin/programme-configs', dto({ effectiveFrom: `${nextYear}/01/02` }))).status).toBe(400);
  expect((await manager.post('/admin/programme-configs', dto({ effectiveFrom: `${nextYear}-02-30` }))).status).toBe(400);
  expect((await manager.post('/admin/programme-configs', dto({ programme: 'Cataract!' }))).status).toBe(400);
  expect((await manager.post('/admin/programme-configs', dto({ version: 'mine' }))).status).toBe(400);
});

it('scope and roles: org unit outside the caller’s scope → 403; other roles → 403; no editing in place', async () => {
  expect((await manager.post('/admin/programme-configs', dto({ orgUnitCode: other.county.code }))).status).toBe(403);
  expect((await manager.post('/admin/programme-configs', dto({ orgUnitCode: tree.city.code }))).status).toBe(403);
  expect((await cw.post('/admin/programme-configs', dto())).status).toBe(403);
  expect((await cw.get('/admin/programme-configs')).status).toBe(403);
  const list = await manager.get('/admin/programme-configs');
  expect((await manager.put(`/admin/programme-configs/${list.body.items[0].id}`, dto())).status).toBe(404);
});

it.each([
  ['GET', '/admin/programme-configs'],
  ['GET', `/admin/programme-configs/${randomUUID()}`],
  ['POST', '/admin/programme-configs'],
])('without a token: %s %s → 401', async (method, path) => {
  const c = h.client();
  const r = method === 'POST' ? await c.post(path, {}) : await c.get(path);
  expect(r.status).toBe(401);
});
