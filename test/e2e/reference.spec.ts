/**
 * Reference data on the real api: the org tree within scope, and partners with their places
 * available (capacity minus open cases), agreements in force, and admin changes within scope.
 */
import { randomUUID } from 'node:crypto';
import { Client, Harness, startHarness } from '../setup/harness';
import { createHospital, createPerson, createTree, makeResidentId, Tree } from '../setup/fixtures';

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
    const deep = await county.get(`/org-units/tree?depth=9`);
    expect(deep.status).toBe(400);
    expect(deep.body.message).toMatch(/^请求内容不符合要求，请检查填写的内容 \/ .*depth/);
    const noRoute = await county.get(`/org-units-nonexistent`);
    expect([noRoute.status, noRoute.body.message]).toEqual([404, '请求的接口或记录不存在 / Cannot GET /org-units-nonexistent']);
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

  it('POST /org-units: the admin adds a unit one level below a parent in scope, code extending the parent; 409 on a taken code', async () => {
    const countyAdmin = await h.user('admin', tree.county.code);
    const c4 = tree.city.code.slice(0, 4);
    const newCounty = await admin.post('/org-units', { code: `${c4}99`, parentCode: tree.city.code, name: '新设县', nameEn: 'New County' });
    expect(newCounty.status).toBe(201);
    expect(newCounty.body).toEqual({ code: `${c4}99`, name: '新设县', nameEn: 'New County', level: 'county', parentCode: tree.city.code, path: `${tree.city.path}${c4}99/`, active: true });

    const town = `${tree.county.code}105`;
    const t = await countyAdmin.post('/org-units', { code: town, parentCode: tree.county.code, name: '塔城乡' });
    expect(t.status).toBe(201);
    expect(t.body).toMatchObject({ level: 'township', parentCode: tree.county.code, path: `${tree.county.path}${town}/`, nameEn: null });
    const v = await countyAdmin.post('/org-units', { code: `${town}201`, parentCode: town, name: '塔城村' });
    expect(v.status).toBe(201);
    expect(v.body).toMatchObject({ level: 'village', path: `${tree.county.path}${town}/${town}201/` });
    const subtree = await countyAdmin.get(`/org-units/tree?root=${town}`);
    expect(subtree.body.children.map((c: any) => c.code)).toEqual([`${town}201`]);

    // refusals, nothing written
    const refused = async (body: unknown, status: number, code?: string) => {
      const r = await countyAdmin.post('/org-units', body);
      expect({ status: r.status, code: r.body.code }).toEqual({ status, code: code ?? r.body.code });
      return r;
    };
    await refused({ code: `${town}202`, parentCode: `${town}201`, name: '村下' }, 422, 'ORG_LEVEL');
    await refused({ code: `${tree.county.code}1050`, parentCode: tree.county.code, name: '十位' }, 422, 'ORG_CODE_FORMAT');
    await refused({ code: 'abc105', parentCode: tree.county.code, name: '非数字' }, 400);
    await refused({ code: '999999106', parentCode: tree.county.code, name: '别县代码' }, 422, 'ORG_CODE_FORMAT');
    await refused({ code: `${tree.county.code}106201`, parentCode: tree.county.code, name: '层级不符' }, 422, 'ORG_CODE_FORMAT');
    const taken = await refused({ code: tree.townshipA.code, parentCode: tree.county.code, name: '重复' }, 409, 'ORG_CODE_TAKEN');
    expect(taken.body.message).toContain(tree.townshipA.code);
    await refused({ code: `${c4}98`, parentCode: tree.city.code, name: '越权县' }, 403);
    await refused({ code: `${other.county.code}107`, parentCode: other.county.code, name: '他县乡' }, 403);
    await refused({ code: '999999999107', parentCode: '999999999', name: '无上级' }, 422, 'ORG_UNKNOWN');
    await refused({ code: `${tree.county.code}108`, parentCode: tree.county.code }, 400);
    await refused({ code: `${tree.county.code}108`, parentCode: tree.county.code, name: '  ' }, 400);
    expect((await county.post('/org-units', { code: `${tree.county.code}108`, parentCode: tree.county.code, name: '县干部' })).status).toBe(403);
    const [{ n }] = await h.ds.query(`SELECT count(*)::int AS n FROM org_unit WHERE path LIKE $1`, [`${tree.county.path}%`]);
    expect(n).toBe(8); // the county, 3 townships, 4 villages
    const [a] = await h.ds.query(`SELECT name FROM org_unit WHERE code = $1`, [tree.townshipA.code]);
    expect(a.name).toBe('甲镇');

    // the writes are in the audit log, with the unit's code
    let rows: any[] = [];
    for (let i = 0; i < 50 && rows.length < 2; i++) {
      rows = await h.ds.query(`SELECT action, target_id, success FROM audit_log WHERE target_id = ANY($1) AND action = 'POST /org-units' ORDER BY id`, [[town, tree.townshipA.code]]);
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(rows).toEqual([
      { action: 'POST /org-units', target_id: town, success: true },
      { action: 'POST /org-units', target_id: tree.townshipA.code, success: false },
    ]);
  });

  it('PUT /org-units/:code: the admin renames a unit in scope (Chinese and English), nothing else', async () => {
    const countyAdmin = await h.user('admin', tree.county.code);
    const code = tree.villageB1.code;
    const r = await countyAdmin.put(`/org-units/${code}`, { name: '乙一社区', nameEn: 'Yiyi Community' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ code, name: '乙一社区', nameEn: 'Yiyi Community', level: 'village', parentCode: tree.townshipB.code });
    expect((await county.get(`/org-units/${code}`)).body).toMatchObject({ name: '乙一社区', nameEn: 'Yiyi Community' });
    const cleared = await countyAdmin.put(`/org-units/${code}`, { nameEn: null });
    expect(cleared.body).toMatchObject({ name: '乙一社区', nameEn: null });

    expect((await countyAdmin.put(`/org-units/${code}`, {})).status).toBe(400);
    expect((await countyAdmin.put(`/org-units/${code}`, { name: '' })).status).toBe(400);
    expect((await countyAdmin.put(`/org-units/${code}`, { level: 'township' })).status).toBe(400); // only names change
    expect((await countyAdmin.put(`/org-units/${code}`, { parentCode: tree.townshipA.code })).status).toBe(400);
    expect((await countyAdmin.put(`/org-units/${other.villageA1.code}`, { name: '他县村' })).status).toBe(403);
    expect((await countyAdmin.put(`/org-units/${tree.city.code}`, { name: '上级' })).status).toBe(403);
    expect((await countyAdmin.put(`/org-units/999999999996`, { name: '无' })).status).toBe(404);
    expect((await county.put(`/org-units/${code}`, { name: '县干部改名' })).status).toBe(403);
    const [row] = await h.ds.query(`SELECT name, name_en, level, parent_code, path FROM org_unit WHERE code = $1`, [code]);
    expect(row).toEqual({ name: '乙一社区', name_en: null, level: 'village', parent_code: tree.townshipB.code, path: tree.villageB1.path });
    let audit: any[] = [];
    for (let i = 0; i < 50 && audit.length < 2; i++) {
      audit = await h.ds.query(`SELECT success FROM audit_log WHERE action = 'PUT /org-units/:code' AND target_id = $1 AND success ORDER BY id`, [code]);
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(audit).toHaveLength(2);
  });

  it('PUT /org-units/:code {active}: deactivating is refused while in use; a deactivated unit takes nothing new; reactivating needs an active parent', async () => {
    const countyAdmin = await h.user('admin', tree.county.code);
    const town = `${tree.county.code}110`;
    const village = `${town}201`;
    expect((await countyAdmin.post('/org-units', { code: town, parentCode: tree.county.code, name: '停用测试乡' })).status).toBe(201);
    expect((await countyAdmin.post('/org-units', { code: village, parentCode: town, name: '停用测试村' })).status).toBe(201);
    const staff = await h.user('village_caseworker', village);

    // in use: an active village below the township; an active account in the village
    const busyTown = await countyAdmin.put(`/org-units/${town}`, { active: false });
    expect({ status: busyTown.status, code: busyTown.body.code }).toEqual({ status: 409, code: 'ORG_IN_USE' });
    expect(busyTown.body.message).toContain('下级单位 1 个、办理中个案 0 件、在用账号 1 个');
    expect((await countyAdmin.put(`/org-units/${village}`, { active: false })).status).toBe(409);
    await h.ds.query(`UPDATE staff_user SET active = false WHERE id = $1`, [staff.userId]);
    // an open case in the village
    const [{ path }] = await h.ds.query(`SELECT path FROM org_unit WHERE code = $1`, [village]);
    const person = await createPerson(h.ds, village, path);
    const caseId = randomUUID();
    await h.ds.query(
      `INSERT INTO case_file (id, case_no, programme, person_id, org_unit_code, org_path, status, step, workflow_id, rule_version, opened_at)
       VALUES ($1, $2, 'cataract', $3, $4, $5, 'open', 'screening', $6, 'test', now())`,
      [caseId, `D-${caseId.slice(0, 8)}`, person.id, village, path, `case-${caseId}`],
    );
    const busyCase = await countyAdmin.put(`/org-units/${village}`, { active: false });
    expect(busyCase.status).toBe(409);
    expect(busyCase.body.message).toContain('办理中个案 1 件');
    await h.ds.query(`UPDATE case_file SET status = 'closed', closed_at = now() WHERE id = $1`, [caseId]);

    const off = await countyAdmin.put(`/org-units/${village}`, { active: false });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ code: village, active: false });
    expect((await countyAdmin.get(`/org-units/${village}`)).body.active).toBe(false);
    // nothing new there: sub-units, staff accounts, persons
    const sub = await countyAdmin.post('/org-units', { code: `${town}202`, parentCode: village, name: '村下' });
    expect(sub.status).toBe(422); // a village has no lower level either way
    const account = await countyAdmin.post('/admin/users', { username: `off-${village}`, displayName: '停用村委', role: 'village_caseworker', orgUnitCode: village, password: 'Str0ng-Passw0rd-2026!' });
    expect({ status: account.status, code: account.body.code }).toEqual({ status: 422, code: 'ORG_INACTIVE' });
    const townOfficer = await h.user('township_officer', town);
    const reg = await townOfficer.post('/persons', { residentId: makeResidentId('360121', '1948-03-02', 311), name: '停用村民', hukouOrgCode: village });
    expect([reg.status, reg.body.code]).toEqual([422, 'ORG_INACTIVE']);

    // the township: no active village or account left below it → deactivated; then the village cannot come back alone
    await h.ds.query(`UPDATE staff_user SET active = false WHERE id = $1`, [townOfficer.userId]);
    expect((await countyAdmin.put(`/org-units/${town}`, { active: false })).status).toBe(200);
    const orphan = await countyAdmin.post('/org-units', { code: `${town}203`, parentCode: town, name: '新村' });
    expect([orphan.status, orphan.body.code]).toEqual([422, 'ORG_INACTIVE']);
    const back = await countyAdmin.put(`/org-units/${village}`, { active: true });
    expect([back.status, back.body.code]).toEqual([422, 'ORG_INACTIVE']);
    expect((await countyAdmin.put(`/org-units/${town}`, { active: true })).status).toBe(200);
    expect((await countyAdmin.put(`/org-units/${village}`, { active: true })).body).toMatchObject({ active: true, name: '停用测试村' });
    expect((await countyAdmin.put(`/org-units/${village}`, { active: 'no' })).status).toBe(400);
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
      ['/org-units/tree', 'get'], ['/org-units/{code}', 'get'], ['/org-units', 'post'], ['/org-units/{code}', 'put'],
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
