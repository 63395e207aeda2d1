/**
 * Persons on the real api: registration checks (resident ID, certificate, village in scope,
 * duplicates), scope on reads (404, not 403, outside the area), masking by role, keyset pages.
 */
import { randomUUID } from 'node:crypto';
import { Client, Harness, startHarness } from '../setup/harness';
import { createHospital, createTree, makeResidentId, Tree } from '../setup/fixtures';
import { PiiCipher } from '../../src/security/pii-crypto';

let h: Harness;
let tree: Tree;
let cwA1: Client;
let cwB1: Client;
let townA: Client;
let county: Client;
let admin: Client;
let civil: Client;
let partnerStaff: Client;
let partnerId: string;
let region: string;
let seq = 0;

/** A fresh valid resident ID in this suite's own region code. */
function newId(birth = '1950-03-04'): string {
  return makeResidentId(region, birth, ++seq);
}

function body(over: Record<string, unknown> = {}) {
  return { residentId: newId(), name: '王五', hukouOrgCode: tree.villageA1.code, ...over };
}

beforeAll(async () => {
  h = await startHarness('persons');
  tree = await createTree(h.ds);
  region = tree.county.code;
  partnerId = (await createHospital(h.ds, tree.county.code)).id;
  [cwA1, cwB1, townA, county, admin, civil, partnerStaff] = await Promise.all([
    h.user('village_caseworker', tree.villageA1.code),
    h.user('village_caseworker', tree.villageB1.code),
    h.user('township_officer', tree.townshipA.code),
    h.user('county_officer', tree.county.code),
    h.user('admin', tree.county.code),
    h.user('civil_affairs_officer', tree.county.code),
    h.user('partner_staff', tree.county.code, partnerId),
  ]);
});
afterAll(async () => h?.close());

describe('resident ID and certificate number encrypted at rest', () => {
  it('the row holds ciphertext, a blind index and the key id; exact search, duplicates and full view still work', async () => {
    const residentId = makeResidentId(region, '1953-11-27', 977);
    const certNo = `${residentId}21`;
    const r = await cwA1.post('/persons', body({ residentId, disabilityCertNo: certNo }));
    expect(r.status).toBe(201);

    // Plain SQL: nothing in the row, as text or as raw bytes, contains the ID or the certificate number.
    const [{ text }] = await h.ds.query(`SELECT p::text AS text FROM person p WHERE p.id = $1`, [r.body.id]);
    const [row] = await h.ds.query(`SELECT * FROM person WHERE id = $1`, [r.body.id]);
    expect(Object.keys(row)).not.toContain('resident_id');
    expect(Object.keys(row)).not.toContain('disability_cert_no');
    const raw = Object.values(row).map((v) => (Buffer.isBuffer(v) ? v.toString('latin1') : JSON.stringify(v))).join('|');
    for (const secret of [residentId, certNo, residentId.slice(0, 17), residentId.slice(6)]) {
      expect(text).not.toContain(secret);
      expect(raw).not.toContain(secret);
    }
    expect(Buffer.isBuffer(row.resident_id_enc) && row.resident_id_enc.length).toBe(12 + 16 + 18);
    expect(Buffer.isBuffer(row.disability_cert_no_enc) && row.disability_cert_no_enc.length).toBe(12 + 16 + 20);
    const cipher = PiiCipher.fromEnv();
    expect(row.pii_key_id).toBe(cipher.currentKeyId);
    expect(cipher.decrypt('person.resident_id', row.pii_key_id, row.resident_id_enc)).toBe(residentId);
    expect(cipher.decrypt('person.disability_cert_no', row.pii_key_id, row.disability_cert_no_enc)).toBe(certNo);

    // The blind index finds the row by the exact ID (SQL and the api's search), with no decryption in SQL.
    expect(row.resident_id_bidx.equals(cipher.blindIndex(residentId))).toBe(true);
    const bySql = await h.ds.query(`SELECT id FROM person WHERE resident_id_bidx = $1`, [cipher.blindIndex(residentId)]);
    expect(bySql).toEqual([{ id: r.body.id }]);
    const bySearch = await county.get(`/persons?q=${residentId.toLowerCase()}`);
    expect(bySearch.body.items.map((p: any) => p.id)).toEqual([r.body.id]);
    expect(bySearch.body.items[0].residentId).toBe(`${residentId.slice(0, 6)}********${residentId.slice(14)}`);

    // Registered once: the unique blind index refuses the same person, with the usual 409.
    const dup = await townA.post('/persons', body({ residentId, hukouOrgCode: tree.villageA2.code }));
    expect([dup.status, dup.body.code, dup.body.details]).toEqual([409, 'PERSON_EXISTS', { personId: r.body.id }]);

    // Decrypted for the roles that may see it, masked for the others.
    for (const c of [county, admin]) {
      expect((await c.get(`/persons/${r.body.id}`)).body).toMatchObject({ residentId, disabilityCertNo: certNo, masked: false });
    }
    const masked = `${residentId.slice(0, 6)}********${residentId.slice(14)}`;
    for (const c of [cwA1, townA, civil]) {
      const d = await c.get(`/persons/${r.body.id}`);
      expect(d.body).toMatchObject({ residentId: masked, disabilityCertNo: `${masked}21`, masked: true });
      expect(JSON.stringify(d.body)).not.toContain(residentId);
    }
  });
});

describe('POST /persons', () => {
  it('registers a resident: sex and birth date from the ID, certificate parsed, org path copied', async () => {
    const residentId = makeResidentId(region, '1948-07-15', 901); // 901: odd → male
    const r = await cwA1.post('/persons', {
      residentId,
      name: '  张三  ',
      phone: '13800000000',
      hukouOrgCode: tree.villageA1.code,
      disabilityCertNo: `${residentId}43B1`,
      hardship: ['dibao', 'tekun', 'dibao'],
      guardian: { name: '张小三', relation: '儿子', phone: '13900000000' },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      name: '张三',
      sex: 'M',
      birthDate: '1948-07-15',
      residentId: `${residentId.slice(0, 6)}********${residentId.slice(14)}`,
      masked: true,
      hukouOrgCode: tree.villageA1.code,
      hukouOrgName: '甲一村',
      orgPath: tree.villageA1.path,
      disabilityCategory: { code: 4, key: 'limb', name: '肢体' },
      disabilityGrade: 3,
      certReissue: 1,
      disabilityCertNo: `${residentId.slice(0, 6)}********${residentId.slice(14)}43B1`,
      hardship: ['dibao', 'tekun'],
      guardian: { name: '张小三', relation: '儿子', phone: '13900000000' },
    });
    expect(r.body.age).toBeGreaterThanOrEqual(77);
    const [row] = await h.ds.query(`SELECT pii_key_id, org_path, disability_category, disability_grade, cert_reissue, created_by FROM person WHERE id = $1`, [r.body.id]);
    expect(row).toEqual({
      pii_key_id: PiiCipher.fromEnv().currentKeyId,
      org_path: tree.villageA1.path,
      disability_category: 4,
      disability_grade: 3,
      cert_reissue: 1,
      created_by: cwA1.userId,
    });
  });

  it('derives a female from an even sequence digit, without a certificate', async () => {
    const r = await townA.post('/persons', body({ residentId: makeResidentId(region, '2021-02-03', 902), hukouOrgCode: tree.villageA2.code }));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ sex: 'F', birthDate: '2021-02-03', disabilityCategory: null, disabilityGrade: null, disabilityCertNo: null, guardian: null });
  });

  it('bad checksum → 422 ID_CHECKSUM with the validator message (zh / en)', async () => {
    const good = newId();
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const r = await cwA1.post('/persons', body({ residentId: bad }));
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('ID_CHECKSUM');
    expect(r.body.message).toMatch(/校验位.* \/ .*check character/);
  });

  it('malformed ID and future birth date → 422 with their own codes', async () => {
    expect((await cwA1.post('/persons', body({ residentId: '12345' }))).body.code).toBe('ID_FORMAT');
    const future = await cwA1.post('/persons', body({ residentId: makeResidentId(region, '2099-01-01', 1) }));
    expect([future.status, future.body.code]).toEqual([422, 'ID_BIRTHDATE']);
  });

  it('certificate of someone else → 422 CERT_MISMATCH; malformed certificate → 422 CERT_FORMAT / CERT_CATEGORY', async () => {
    const other = newId();
    const mismatch = await cwA1.post('/persons', body({ disabilityCertNo: `${other}12` }));
    expect([mismatch.status, mismatch.body.code]).toEqual([422, 'CERT_MISMATCH']);
    const id = newId();
    const format = await cwA1.post('/persons', body({ residentId: id, disabilityCertNo: `${id}4` }));
    expect([format.status, format.body.code]).toEqual([422, 'CERT_FORMAT']);
    const category = await cwA1.post('/persons', body({ residentId: id, disabilityCertNo: `${id}93` }));
    expect([category.status, category.body.code]).toEqual([422, 'CERT_CATEGORY']);
    const [{ n }] = await h.ds.query(`SELECT count(*)::int AS n FROM person WHERE resident_id_bidx = $1`, [PiiCipher.fromEnv().blindIndex(id)]);
    expect(n).toBe(0);
  });

  it('same resident ID again → 409 PERSON_EXISTS (with the id only for someone who may see it)', async () => {
    const first = await cwA1.post('/persons', body());
    expect(first.status).toBe(201);
    const residentId = (await county.get(`/persons/${first.body.id}`)).body.residentId;
    const again = await townA.post('/persons', body({ residentId: residentId.toLowerCase(), hukouOrgCode: tree.villageA2.code }));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'PERSON_EXISTS', details: { personId: first.body.id } });
    expect(again.body.message).toContain(' / ');
    const elsewhere = await cwB1.post('/persons', body({ residentId, hukouOrgCode: tree.villageB1.code }));
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body.code).toBe('PERSON_EXISTS');
    expect(elsewhere.body.details).toBeUndefined();
  });

  it('simultaneous registrations of one person: exactly one 201, the rest 409 (never 500)', async () => {
    const residentId = newId('1961-01-01');
    const rs = await Promise.all(Array.from({ length: 6 }, () => county.post('/persons', body({ residentId }))));
    expect(rs.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(rs.filter((r) => r.status === 409).every((r) => r.body.code === 'PERSON_EXISTS')).toBe(true);
  });

  it('unknown or malformed fields → 400', async () => {
    expect((await cwA1.post('/persons', body({ nickname: 'x' }))).status).toBe(400);
    expect((await cwA1.post('/persons', body({ guardian: { name: 'a', relation: 'b', extra: 1 } }))).status).toBe(400);
    expect((await cwA1.post('/persons', body({ hardship: ['rich'] }))).status).toBe(400);
    expect((await cwA1.post('/persons', body({ name: '' }))).status).toBe(400);
    expect((await cwA1.post('/persons', { name: '王五', hukouOrgCode: tree.villageA1.code })).status).toBe(400);
    const r = await cwA1.post('/persons', body({ phone: 'call me' }));
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('VALIDATION_FAILED');
  });

  it('village outside the caller’s scope → 403; not a village → 422; unknown → 422', async () => {
    const out = await cwA1.post('/persons', body({ hukouOrgCode: tree.villageB1.code }));
    expect(out.status).toBe(403);
    const township = await townA.post('/persons', body({ hukouOrgCode: tree.townshipA.code }));
    expect([township.status, township.body.code]).toEqual([422, 'ORG_LEVEL']);
    const unknown = await county.post('/persons', body({ hukouOrgCode: '999999999999' }));
    expect([unknown.status, unknown.body.code]).toEqual([422, 'ORG_UNKNOWN']);
  });

  it('roles that do not register people → 403', async () => {
    expect((await civil.post('/persons', body())).status).toBe(403);
    expect((await partnerStaff.post('/persons', body())).status).toBe(403);
  });
});

describe('GET /persons and /persons/:id', () => {
  let personB1: string;
  let personA1: string;
  let residentB1: string;

  beforeAll(async () => {
    residentB1 = newId('1955-05-05');
    const b = await cwB1.post('/persons', body({ residentId: residentB1, name: '乙村人', hukouOrgCode: tree.villageB1.code, disabilityCertNo: `${residentB1}12` }));
    expect(b.status).toBe(201);
    personB1 = b.body.id;
    const a = await cwA1.post('/persons', body({ name: '甲村人' }));
    personA1 = a.body.id;
  });

  async function allIds(c: Client, q = ''): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const r: { status: number; body: any } = await c.get(`/persons?limit=100${q}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(r.status).toBe(200);
      ids.push(...r.body.items.map((p: any) => p.id));
      cursor = r.body.nextCursor;
    } while (cursor);
    return ids;
  }

  it('a village A1 caseworker gets 404 for a person of B1 and does not see them in the list', async () => {
    const r = await cwA1.get(`/persons/${personB1}`);
    expect(r.status).toBe(404);
    expect(r.body.code).toBe('NOT_FOUND');
    const ids = await allIds(cwA1);
    expect(ids).toContain(personA1);
    expect(ids).not.toContain(personB1);
    expect(await allIds(townA)).not.toContain(personB1);
    expect(await allIds(county)).toEqual(expect.arrayContaining([personA1, personB1]));
    // Nothing from outside the county either.
    const page = await county.get('/persons?limit=100');
    expect(page.body.items.every((p: any) => p.hukouOrgCode.startsWith(tree.county.code))).toBe(true);
  });

  it('unknown id → 404; malformed id → 400', async () => {
    expect((await county.get(`/persons/${randomUUID()}`)).status).toBe(404);
    const bad = await county.get('/persons/not-a-uuid');
    expect(bad.status).toBe(400);
  });

  it('resident ID masked in lists for everyone, in detail unless county officer or admin', async () => {
    const masked = `${residentB1.slice(0, 6)}********${residentB1.slice(14)}`;
    const cw = await cwB1.get(`/persons/${personB1}`);
    expect(cw.body).toMatchObject({ residentId: masked, masked: true, disabilityCertNo: `${masked}12` });
    expect(cw.body.disabilityCategory).toMatchObject({ code: 1, name: '视力' });
    expect(cw.body.disabilityGrade).toBe(2);
    expect(typeof cw.body.age).toBe('number');
    for (const c of [county, admin]) {
      const d = await c.get(`/persons/${personB1}`);
      expect(d.body).toMatchObject({ residentId: residentB1, masked: false, disabilityCertNo: `${residentB1}12` });
    }
    const civ = await civil.get(`/persons/${personB1}`);
    expect(civ.body.residentId).toBe(masked);
    for (const c of [county, admin, cwB1]) {
      const list = await c.get(`/persons?q=${encodeURIComponent('乙村人')}`);
      const item = list.body.items.find((p: any) => p.id === personB1);
      expect(item.residentId).toBe(masked);
      expect(item.phone).toBeUndefined();
    }
    // Searching by the full number finds the person (and still shows it masked in the list).
    const byId = await county.get(`/persons?q=${residentB1}`);
    expect(byId.body.items.map((p: any) => p.id)).toEqual([personB1]);
  });

  it('keyset pagination returns every person exactly once across pages, in name order', async () => {
    const prefix = `翻页${tree.county.code}`;
    const names = ['丙', '甲', '乙', '甲', '丁', '甲', '戊'].map((s) => `${prefix}${s}`); // duplicates: ties broken by id
    const created: string[] = [];
    for (const name of names) {
      const r = await townA.post('/persons', body({ name, hukouOrgCode: tree.villageA2.code }));
      expect(r.status).toBe(201);
      created.push(r.body.id);
    }
    const seen: string[] = [];
    const seenNames: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: { status: number; body: any } = await townA.get(`/persons?q=${encodeURIComponent(prefix)}&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...r.body.items.map((p: any) => p.id));
      seenNames.push(...r.body.items.map((p: any) => p.name));
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(created.length);
    expect(new Set(seen)).toEqual(new Set(created));
    // Same order as the database's own ORDER BY name, id (its collation decides name order).
    const expected = await h.ds.query(`SELECT id FROM person WHERE name LIKE $1 ORDER BY name, id`, [`${prefix}%`]);
    expect(seen).toEqual(expected.map((r: any) => r.id));
    expect(seenNames.filter((n) => n.endsWith('甲'))).toHaveLength(3);
    // A page that holds exactly the rest ends with nextCursor null.
    const exact = await townA.get(`/persons?q=${encodeURIComponent(prefix)}&limit=7`);
    expect(exact.body.items).toHaveLength(7);
    expect(exact.body.nextCursor).toBeNull();
  });

  it('q with LIKE wildcards matches literally', async () => {
    const r = await county.get(`/persons?q=${encodeURIComponent('%')}`);
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual([]);
  });

  it('bad paging input → 400', async () => {
    expect((await county.get('/persons?limit=101')).status).toBe(400);
    expect((await county.get('/persons?limit=0')).status).toBe(400);
    expect((await county.get('/persons?limit=abc')).status).toBe(400);
    const c = await county.get('/persons?cursor=garbage');
    expect([c.status, c.body.code]).toEqual([400, 'INVALID_CURSOR']);
    expect((await county.get('/persons?sort=name')).status).toBe(400);
  });

  it('partner staff see only people on cases referred to their partner', async () => {
    expect((await partnerStaff.get('/persons')).body.items).toEqual([]);
    expect((await partnerStaff.get(`/persons/${personB1}`)).status).toBe(404);
    const caseId = randomUUID();
    await h.ds.query(
      `INSERT INTO case_file (id, case_no, programme, person_id, org_unit_code, org_path, step, workflow_id, rule_version, partner_id, opened_at)
       VALUES ($1, $2, 'cataract', $3, $4, $5, 'surgery', $6, 'test', $7, now())`,
      [caseId, `T-${caseId.slice(0, 8)}`, personB1, tree.villageB1.code, tree.villageB1.path, `case-${caseId}`, partnerId],
    );
    const list = await partnerStaff.get('/persons');
    expect(list.body.items.map((p: any) => p.id)).toEqual([personB1]);
    const d = await partnerStaff.get(`/persons/${personB1}`);
    expect(d.status).toBe(200);
    expect(d.body.masked).toBe(true);
    expect((await partnerStaff.get(`/persons/${personA1}`)).status).toBe(404);
  });
});

describe('without a token', () => {
  it.each([
    ['POST', '/persons'],
    ['GET', '/persons'],
    ['GET', `/persons/${randomUUID()}`],
  ])('%s %s → 401', async (method, path) => {
    const c = h.client();
    const r = method === 'POST' ? await c.post(path, {}) : await c.get(path);
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('UNAUTHENTICATED');
  });
});

describe('residence village (居住地)', () => {
  it('registered with a residence village: readable from the hukou and the residence area, not elsewhere; the scope query uses both path indexes', async () => {
    const r = await cwA1.post('/persons', body({ residenceOrgCode: tree.villageB1.code }));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ hukouOrgCode: tree.villageA1.code, residenceOrgCode: tree.villageB1.code, residenceOrgName: '乙一村', residenceOrgPath: tree.villageB1.path });
    for (const c of [cwA1, cwB1, townA, county]) expect((await c.get(`/persons/${r.body.id}`)).status).toBe(200);
    expect((await cwB1.get('/persons?limit=100')).body.items.map((p: any) => p.id)).toContain(r.body.id);
    const townB = await h.user('township_officer', tree.townshipB.code);
    expect((await townB.get(`/persons/${r.body.id}`)).status).toBe(200);
    const cwA2 = await h.user('village_caseworker', tree.villageA2.code);
    expect((await cwA2.get(`/persons/${r.body.id}`)).status).toBe(404);
    expect((await cwA2.get('/persons?limit=100')).body.items.map((p: any) => p.id)).not.toContain(r.body.id);

    // Indexed: with sequential scans off the planner reaches both prefix indexes (a BitmapOr).
    const plan = await h.ds.transaction(async (m) => {
      await m.query('SET LOCAL enable_seqscan = off');
      const rows: any[] = await m.query(`EXPLAIN SELECT id FROM person p WHERE (p.org_path LIKE '${tree.villageB1.path}%' OR p.residence_org_path LIKE '${tree.villageB1.path}%')`);
      return rows.map((x) => x['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('ix_person_org_path');
    expect(plan).toContain('ix_person_residence_org_path');
  });

  it('a caseworker of the residence village registers a migrant; neither village in scope → 403; residence not a village or unknown → 422, nothing written', async () => {
    const migrant = await cwB1.post('/persons', body({ hukouOrgCode: tree.villageA1.code, residenceOrgCode: tree.villageB1.code }));
    expect(migrant.status).toBe(201);
    const neither = body({ hukouOrgCode: tree.villageA1.code });
    expect((await cwB1.post('/persons', neither)).status).toBe(403);
    const township = body({ residenceOrgCode: tree.townshipB.code });
    const t = await cwA1.post('/persons', township);
    expect([t.status, t.body.code, t.body.details?.field]).toEqual([422, 'ORG_LEVEL', 'residenceOrgCode']);
    expect(t.body.message).toMatch(/村（社区）级/);
    const unknown = body({ residenceOrgCode: '999999999999' });
    expect([(await cwA1.post('/persons', unknown)).status, (await cwA1.post('/persons', unknown)).body.code]).toEqual([422, 'ORG_UNKNOWN']);
    for (const b of [neither, township, unknown]) {
      expect((await county.get(`/persons?q=${b.residentId}`)).body.items).toEqual([]);
    }
  });
});

describe('PUT /persons/:id', () => {
  const auditOf = async (id: string, actorId: string) => {
    for (let i = 0; i < 50; i++) {
      const rows: any[] = await h.ds.query(`SELECT action, success, detail FROM audit_log WHERE target_id = $1 AND actor_id = $2 AND action = 'PUT /persons/:id' ORDER BY id`, [id, actorId]);
      if (rows.length) return rows;
      await new Promise((res) => setTimeout(res, 100));
    }
    return [];
  };

  it('adds guardian, certificate (encrypted, re-read decrypted), phone, hardship and residence after registration; audited', async () => {
    const residentId = newId('2021-05-06');
    const reg = await cwA1.post('/persons', body({ residentId }));
    expect(reg.status).toBe(201);
    expect(reg.body).toMatchObject({ guardian: null, disabilityCertNo: null, disabilityCategory: null });
    const id = reg.body.id;

    const r = await cwA1.put(`/persons/${id}`, {
      phone: '13711112222',
      guardian: { name: '刘丽华', relation: '母亲', phone: '13900000000' },
      disabilityCertNo: `${residentId}42`,
      hardship: ['dibao', 'dibao'],
      residenceOrgCode: tree.villageB1.code,
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      phone: '13711112222',
      guardian: { name: '刘丽华', relation: '母亲', phone: '13900000000' },
      disabilityCategory: { code: 4, key: 'limb' },
      disabilityGrade: 2,
      hardship: ['dibao'],
      residenceOrgCode: tree.villageB1.code,
      masked: true,
    });
    expect(JSON.stringify(r.body)).not.toContain(residentId);
    // Re-read decrypted by a role that sees full numbers; at rest only ciphertext under the current key.
    expect((await county.get(`/persons/${id}`)).body).toMatchObject({ disabilityCertNo: `${residentId}42`, residentId });
    const [row] = await h.ds.query(`SELECT * FROM person WHERE id = $1`, [id]);
    const cipher = PiiCipher.fromEnv();
    expect(row.pii_key_id).toBe(cipher.currentKeyId);
    expect(cipher.decrypt('person.disability_cert_no', row.pii_key_id, row.disability_cert_no_enc)).toBe(`${residentId}42`);
    expect(cipher.decrypt('person.resident_id', row.pii_key_id, row.resident_id_enc)).toBe(residentId);
    expect(Object.values(row).map((v) => (Buffer.isBuffer(v) ? v.toString('latin1') : JSON.stringify(v))).join('|')).not.toContain(residentId);
    // The residence area now reads and edits it too.
    expect((await cwB1.put(`/persons/${id}`, { phone: null })).body.phone).toBeNull();
    const audits = await auditOf(id, cwA1.userId!);
    expect(audits[0]).toMatchObject({ success: true });

    // null clears; category alone must agree with the certificate.
    const bad = await cwA1.put(`/persons/${id}`, { disabilityCategory: 1 });
    expect([bad.status, bad.body.code, bad.body.details?.field]).toEqual([422, 'CERT_CLASS_MISMATCH', 'disabilityCategory']);
    const cleared = await cwA1.put(`/persons/${id}`, { guardian: null, disabilityCertNo: null, disabilityCategory: null, disabilityGrade: null });
    expect(cleared.body).toMatchObject({ guardian: null, disabilityCertNo: null, disabilityCategory: null, disabilityGrade: null });
  });

  it('a bad certificate → 422 with the validator code and nothing written; resident ID, birth date, sex → 400 saying why', async () => {
    const residentId = newId('2020-01-02');
    const id = (await cwA1.post('/persons', body({ residentId, phone: '111' }))).body.id;
    const [before] = await h.ds.query(`SELECT * FROM person WHERE id = $1`, [id]);
    const other = newId('2020-01-03');
    const cases: [unknown, number, string][] = [
      [{ phone: '222', disabilityCertNo: `${other}42` }, 422, 'CERT_MISMATCH'],
      [{ phone: '222', disabilityCertNo: 'bad' }, 422, 'CERT_FORMAT'],
      [{ phone: '222', disabilityCertNo: `${residentId}92` }, 422, 'CERT_CATEGORY'],
      [{ phone: '222', residenceOrgCode: tree.townshipB.code }, 422, 'ORG_LEVEL'],
      [{ phone: '222', residentId: other }, 400, 'IMMUTABLE_FIELD'],
      [{ birthDate: '2019-01-01' }, 400, 'IMMUTABLE_FIELD'],
      [{ sex: 'F' }, 400, 'IMMUTABLE_FIELD'],
      [{}, 400, 'VALIDATION_FAILED'],
    ];
    for (const [b, status, code] of cases) {
      const r = await cwA1.put(`/persons/${id}`, b);
      expect([r.status, r.body.code]).toEqual([status, code]);
    }
    expect((await cwA1.put(`/persons/${id}`, { sex: 'F' })).body.message).toMatch(/身份证.*resident ID/);
    const [after] = await h.ds.query(`SELECT * FROM person WHERE id = $1`, [id]);
    expect(after).toEqual(before);
  });

  it('outside the caseworker’s scope → 404 (nothing written); roles that do not edit people → 403', async () => {
    const id = (await cwA1.post('/persons', body({ phone: '333' }))).body.id;
    const out = await cwB1.put(`/persons/${id}`, { phone: '444' });
    expect(out.status).toBe(404);
    // A caseworker cannot pull someone into their own area by naming it as the residence either.
    expect((await cwB1.put(`/persons/${id}`, { residenceOrgCode: tree.villageB1.code })).status).toBe(404);
    expect((await civil.put(`/persons/${id}`, { phone: '444' })).status).toBe(403);
    expect((await partnerStaff.put(`/persons/${id}`, { phone: '444' })).status).toBe(403);
    expect((await county.get(`/persons/${id}`)).body).toMatchObject({ phone: '333', residenceOrgCode: null });
  });
});
