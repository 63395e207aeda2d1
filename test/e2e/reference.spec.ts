/**
 * Reference data on the real api: the org tree within scope, and partners with their places
 * available (capacity minus open cases), agreements in force, and admin changes within scope.
 */
import { randomUUID } from 'node:crypto';
import { Client, Harness, startHarness } from '../setup/harness';
import { createHospital, createPerson, createTree, Tree } from '../setup/fixtures';

let h: Harness;
let tree: Tree;
let other: Tree;
let cwA1: Client;
let townA: Client;
let county: Client;
let admin: Client;
let otherCounty: Client;

async function openCase(partnerId: string, status: 'open' | 'closed' = 'open') {
  const person = await createPerson(h.ds, tree.villageA1.code, tree.villageA1.path);
  const id = randomUUID();
  await h.ds.query(
    `INSERT INTO case_file (id, case_no, programme, person_id, org_unit_code, org_path, status, step, workflow_id, rule_version, partner_id, opened_at)
     VALUES ($1, $2, 'cataract', $3, $4, $5, $6, 'surgery', $7, 'test', $8, now())`,
    [id, `R-${id.slice(0, 8)}`, person.id, tree.villageA1.code, tree.villageA1.path, status, `case-${id}`, partnerId],
  );
}

beforeAll(async () => {
  h = await startHarness('reference');
  tree = await createTree(h.ds);
  other = await createTree(h.ds);
  [cwA1, townA, county, admin, otherCounty] = await Promise.all([
    h.user('village_caseworker', tree.villageA1.code),
    h.user('township_officer', tree.townshipA.code),
    h.user('county_officer', tree.county.code),
    h.user('admin', tree.city.code),
    h.user('county_officer', other.county.code),
  ]);
});
afterAll(async () => h?.close());

describe('org units', () => {
  it('tree defaults to the caller’s own unit', async () => {
    const r = await townA.get('/org-units/tree');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ code: tree.townshipA.code, level: 'township', path: tree.townshipA.path });
    expect(r.body.children.map((c: any) => c.code).sort()).toEqual([tree.villageA1.code, tree.villageA2.code]);
    expect(r.body.children[0].children).toEqual([]);
  });

  it('a county officer sees the whole county; depth limits the levels', async () => {
    const r = await county.get(`/org-units/tree?root=${tree.county.code}`);
    expect(r.body.children.map((c: any) => c.code).sort()).toEqual([tree.townshipA.code, tree.townshipB.code]);
    const b = r.body.children.find((c: any) => c.code === tree.townshipB.code);
    expect(b.children.map((c: any) => c.code)).toEqual([tree.villageB1.code]);
    const shallow = await county.get(`/org-units/tree?depth=1`);
    expect(shallow.body.children).toHaveLength(2);
    expect(shallow.body.children.every((c: any) => c.children.length === 0)).toBe(true);
  });

  it('a root outside the caller’s scope → 403; unknown → 404; malformed → 400', async () => {
    expect((await townA.get(`/org-units/tree?root=${tree.townshipB.code}`)).status).toBe(403);
    expect((await townA.get(`/org-units/tree?root=${tree.county.code}`)).status).toBe(403);
    expect((await county.get(`/org-units/tree?root=999999999998`)).status).toBe(404);
    expect((await county.get(`/org-units/tree?root=abc`)).status).toBe(400);
    expect((await county.get(`/org-units/tree?depth=9`)).status).toBe(400);
  });

  it('GET /org-units/:code: own ancestors are visible (inScope false), siblings are not', async () => {
    const up = await cwA1.get(`/org-units/${tree.county.code}`);
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ code: tree.county.code, level: 'county', inScope: false, childCount: 2 });
    expect(up.body.ancestors.map((a: any) => a.code)).toEqual([tree.city.code]);
    const own = await cwA1.get(`/org-units/${tree.villageA1.code}`);
    expect(own.body).toMatchObject({ inScope: true, childCount: 0, parentCode: tree.townshipA.code });
    expect(own.body.ancestors.map((a: any) => a.code)).toEqual([tree.city.code, tree.county.code, tree.townshipA.code]);
    expect((await cwA1.get(`/org-units/${tree.villageB1.code}`)).status).toBe(403);
    expect((await cwA1.get(`/org-units/999999999997`)).status).toBe(404);
    expect((await cwA1.get(`/org-units/x1`)).status).toBe(400);
  });
});

describe('partners', () => {
  let hospital: string;
  let expired: string;
  let cityPartner: string;
  let otherHospital: string;

  beforeAll(async () => {
    hospital = (await createHospital(h.ds, tree.county.code, { capacity: 3 })).id;
    await openCase(hospital);
    await openCase(hospital);
    await openCase(hospital, 'closed');
    expired = (await createHospital(h.ds, tree.county.code, { capacity: null })).id;
    await h.ds.query(`UPDATE partner SET agreement_start = '2020-01-01', agreement_end = '2021-12-31', kind = 'rehab_institution', services = '{child_rehab}' WHERE id = $1`, [expired]);
    cityPartner = (await createHospital(h.ds, tree.city.code, { capacity: 10 })).id;
    otherHospital = (await createHospital(h.ds, other.county.code)).id;
  });

  it('a village caseworker sees the partners of its county (and city) with places available', async () => {
    const r = await cwA1.get('/partners');
    expect(r.status).toBe(200);
    const ids = r.body.items.map((p: any) => p.id);
    expect(ids).toEqual(expect.arrayContaining([hospital, expired, cityPartner]));
    expect(ids).not.toContain(otherHospital);
    const p = r.body.items.find((x: any) => x.id === hospital);
    expect(p).toMatchObject({ capacity: 3, used: 2, available: 1, inForce: true, status: 'active', acceptsReferrals: true, editable: false, orgUnitCode: tree.county.code });
    const e = r.body.items.find((x: any) => x.id === expired);
    expect(e).toMatchObject({ capacity: null, available: null, inForce: false, acceptsReferrals: false });
  });

  it('filters by service, kind and status', async () => {
    const bySvc = await county.get('/partners?service=child_rehab');
    expect(bySvc.body.items.map((p: any) => p.id)).toContain(expired);
    expect(bySvc.body.items.map((p: any) => p.id)).not.toContain(hospital);
    const byKind = await county.get('/partners?kind=hospital');
    expect(byKind.body.items.map((p: any) => p.id)).not.toContain(expired);
    const suspended = await county.get('/partners?status=suspended');
    expect(suspended.body.items.map((p: any) => p.id)).not.toContain(hospital);
    expect((await county.get('/partners?kind=spaceship')).status).toBe(400);
    expect((await county.get('/partners?colour=red')).status).toBe(400);
  });

  it('partner staff see only their own partner', async () => {
    const staff = await h.user('partner_staff', tree.county.code, hospital);
    const r = await staff.get('/partners');
    expect(r.body.items.map((p: any) => p.id)).toEqual([hospital]);
    expect((await staff.get(`/partners/${expired}`)).status).toBe(404);
  });

  it('GET /partners/:id: 404 outside the caller’s path, 400 for a malformed id', async () => {
    expect((await county.get(`/partners/${hospital}`)).body).toMatchObject({ id: hospital, editable: true, available: 1 });
    expect((await county.get(`/partners/${otherHospital}`)).status).toBe(404);
    expect((await county.get(`/partners/${randomUUID()}`)).status).toBe(404);
    expect((await county.get(`/partners/nope`)).status).toBe(400);
  });

  it('a county officer signs an agreement for its county; checks scope, dates and fields', async () => {
    const dto = {
      name: '县康复中心',
      kind: 'rehab_institution',
      orgUnitCode: tree.county.code,
      services: ['child_rehab', 'child_rehab'],
      capacity: 20,
      agreementStart: '2026-01-01',
      agreementEnd: '2030-12-31',
    };
    const r = await county.post('/partners', dto);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: '县康复中心', services: ['child_rehab'], capacity: 20, used: 0, available: 20, status: 'active', inForce: true, editable: true });
    expect((await cwA1.post('/partners', dto)).status).toBe(403);
    expect((await county.post('/partners', { ...dto, orgUnitCode: other.county.code })).status).toBe(403);
    expect((await county.post('/partners', { ...dto, orgUnitCode: tree.city.code })).status).toBe(403);
    const village = await admin.post('/partners', { ...dto, orgUnitCode: tree.villageA1.code });
    expect([village.status, village.body.code]).toEqual([422, 'ORG_LEVEL']);
    const dates = await county.post('/partners', { ...dto, agreementEnd: '2025-12-31' });
    expect([dates.status, dates.body.code]).toEqual([422, 'AGREEMENT_DATES']);
    expect((await county.post('/partners', { ...dto, agreementEnd: '2026-02-30' })).status).toBe(400);
    expect((await county.post('/partners', { ...dto, vip: true })).status).toBe(400);
    expect((await county.post('/partners', { ...dto, kind: 'casino' })).status).toBe(400);
    expect((await county.post('/partners', { ...dto, capacity: -1 })).status).toBe(400);
    expect((await county.post('/partners', { ...dto, services: ['Bad Code'] })).status).toBe(400);
    const unlimited = await admin.post('/partners', { ...dto, orgUnitCode: tree.city.code, capacity: null });
    expect(unlimited.status).toBe(201);
    expect(unlimited.body.available).toBeNull();
  });

  it('suspending, capacity and dates via PUT; an ancestor’s partner is visible but not editable', async () => {
    const s = await county.put(`/partners/${hospital}`, { status: 'suspended' });
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ status: 'suspended', acceptsReferrals: false, available: 1 });
    const c = await county.put(`/partners/${hospital}`, { status: 'active', capacity: 2 });
    expect(c.body).toMatchObject({ status: 'active', capacity: 2, available: 0, acceptsReferrals: false });
    const u = await county.put(`/partners/${hospital}`, { capacity: null, services: ['cataract_surgery'] });
    expect(u.body).toMatchObject({ capacity: null, available: null, services: ['cataract_surgery'], acceptsReferrals: true });
    const bad = await county.put(`/partners/${hospital}`, { agreementEnd: '2019-12-31' });
    expect([bad.status, bad.body.code]).toEqual([422, 'AGREEMENT_DATES']);
    const ok = await county.put(`/partners/${hospital}`, { agreementStart: '2026-01-01', agreementEnd: '2026-06-30' });
    expect(ok.body).toMatchObject({ agreementStart: '2026-01-01', agreementEnd: '2026-06-30', inForce: false });
    expect((await county.put(`/partners/${hospital}`, {})).status).toBe(400);
    expect((await county.put(`/partners/${hospital}`, { kind: 'employer' })).status).toBe(400);
    expect((await county.put(`/partners/${cityPartner}`, { status: 'suspended' })).status).toBe(403);
    expect((await otherCounty.put(`/partners/${hospital}`, { status: 'suspended' })).status).toBe(404);
    expect((await townA.put(`/partners/${hospital}`, { status: 'suspended' })).status).toBe(403);
    expect((await admin.put(`/partners/${cityPartner}`, { capacity: 5 })).body.capacity).toBe(5);
  });
});

describe('OpenAPI', () => {
  it('documents every reference endpoint with bearer auth and typed responses', async () => {
    const r = await h.client().get('/api/docs-json');
    expect(r.status).toBe(200);
    const paths = r.body.paths;
    const expected: [string, string][] = [
      ['/persons', 'post'], ['/persons', 'get'], ['/persons/{id}', 'get'],
      ['/org-units/tree', 'get'], ['/org-units/{code}', 'get'],
      ['/partners', 'get'], ['/partners', 'post'], ['/partners/{id}', 'get'], ['/partners/{id}', 'put'],
      ['/calendar/working-days', 'get'],
      ['/admin/calendar/status', 'get'], ['/admin/calendar/overrides', 'get'],
      ['/admin/calendar/overrides/{date}', 'put'], ['/admin/calendar/overrides/{date}', 'delete'],
      ['/admin/calendar/years/{year}', 'put'], ['/admin/calendar/years/{year}', 'delete'],
      ['/admin/programme-configs', 'get'], ['/admin/programme-configs', 'post'], ['/admin/programme-configs/{id}', 'get'],
    ];
    for (const [path, method] of expected) {
      const op = paths[path]?.[method];
      expect({ path, method, found: !!op }).toEqual({ path, method, found: true });
      expect(op.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(op.responses).length).toBeGreaterThan(0);
    }
    expect(r.body.components.schemas.RegisterPersonDto.properties.residentId).toBeDefined();
    expect(r.body.components.schemas.PersonPage.properties.nextCursor).toBeDefined();
  });
});

describe('without a token', () => {
  it.each([
    ['GET', '/org-units/tree'],
    ['GET', '/org-units/360100'],
    ['GET', '/partners'],
    ['GET', `/partners/${randomUUID()}`],
    ['POST', '/partners'],
    ['PUT', `/partners/${randomUUID()}`],
  ])('%s %s → 401', async (method, path) => {
    const c = h.client();
    const r = method === 'POST' ? await c.post(path, {}) : method === 'PUT' ? await c.put(path, {}) : await c.get(path);
    expect(r.status).toBe(401);
  });
});
