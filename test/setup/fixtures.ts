/**
 * Test data on the real database: a small org tree with unique codes per call (suites share one
 * database), staff for every role, a hospital, a campaign and people with valid resident IDs.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { residentIdCheckChar } from '../../src/domain/identity/resident-id';
import { encryptPersonPii, PiiCipher } from '../../src/security/pii-crypto';

/**
 * A city code no other tree of this run holds ("3x" + 2 digits + "00"). Suites share one database,
 * so a shared city or county would mix their figures; and a county code must never equal its
 * city's (a county "xxxx00" is its own city code), so counties are always "…01".
 */
function randomCityCode(): string {
  const province = 31 + Math.floor(Math.random() * 7); // 31…37
  const city = 1 + Math.floor(Math.random() * 99); // 01…99
  return `${province}${String(city).padStart(2, '0')}00`;
}

export function makeResidentId(regionCode: string, birth: string, seqNo: number): string {
  const first17 = `${regionCode}${birth.replace(/-/g, '')}${String(seqNo).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

export interface Tree {
  city: { code: string; path: string };
  county: { code: string; path: string };
  townshipA: { code: string; path: string };
  townshipB: { code: string; path: string };
  villageA1: { code: string; path: string };
  villageA2: { code: string; path: string };
  villageB1: { code: string; path: string };
}

export async function createTree(ds: DataSource): Promise<Tree> {
  let city: string;
  for (;;) {
    city = randomCityCode();
    const claimed: unknown[] = await ds.query(
      `INSERT INTO org_unit (code, name, level, parent_code, path) VALUES ($1,'测试市','city',NULL,$2) ON CONFLICT (code) DO NOTHING RETURNING code`,
      [city, `/${city}/`],
    );
    if (claimed.length) break;
  }
  const county = `${city.slice(0, 4)}01`;
  const t = {
    city: { code: city, path: `/${city}/` },
    county: { code: county, path: `/${city}/${county}/` },
    townshipA: { code: `${county}101`, path: `/${city}/${county}/${county}101/` },
    townshipB: { code: `${county}102`, path: `/${city}/${county}/${county}102/` },
    villageA1: { code: `${county}101201`, path: `/${city}/${county}/${county}101/${county}101201/` },
    villageA2: { code: `${county}101202`, path: `/${city}/${county}/${county}101/${county}101202/` },
    villageB1: { code: `${county}102201`, path: `/${city}/${county}/${county}102/${county}102201/` },
  };
  const rows: [string, string, string, string | null, string][] = [
    [t.county.code, `测试县${county}`, 'county', t.city.code, t.county.path],
    [t.townshipA.code, '甲镇', 'township', t.county.code, t.townshipA.path],
    [t.townshipB.code, '乙镇', 'township', t.county.code, t.townshipB.path],
    [t.villageA1.code, '甲一村', 'village', t.townshipA.code, t.villageA1.path],
    [t.villageA2.code, '甲二村', 'village', t.townshipA.code, t.villageA2.path],
    [t.villageB1.code, '乙一村', 'village', t.townshipB.code, t.villageB1.path],
  ];
  for (const [code, name, level, parent, path] of rows) {
    await ds.query(
      `INSERT INTO org_unit (code, name, level, parent_code, path) VALUES ($1,$2,$3,$4,$5)`,
      [code, name, level, parent, path],
    );
  }
  return t;
}

export async function createStaff(
  ds: DataSource,
  s: { role: string; orgUnitCode: string; partnerId?: string; username?: string; name?: string; passwordHash?: string },
) {
  const id = randomUUID();
  const username = s.username ?? `${s.role}-${id.slice(0, 8)}`;
  await ds.query(
    `INSERT INTO staff_user (id, username, display_name, password_hash, role, org_unit_code, partner_id) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
    [id, username, s.name ?? username, s.passwordHash ?? 'x', s.role, s.orgUnitCode, s.partnerId ?? null],
  );
  return { id, username, name: s.name ?? username, role: s.role, orgUnitCode: s.orgUnitCode, partnerId: s.partnerId ?? null };
}

export async function createHospital(ds: DataSource, countyCode: string, opts: { capacity?: number | null; status?: string } = {}) {
  const id = randomUUID();
  await ds.query(
    `INSERT INTO partner (id, name, kind, org_unit_code, services, capacity, agreement_start, agreement_end, status)
     VALUES ($1,$2,'hospital',$3,$4,$5,'2020-01-01','2099-12-31',$6)`,
    [id, `测试医院${id.slice(0, 4)}`, countyCode, ['cataract_screening', 'cataract_surgery'], opts.capacity ?? null, opts.status ?? 'active'],
  );
  return { id };
}

export async function createPerson(ds: DataSource, villageCode: string, villagePath: string, opts: { birth?: string; hardship?: string[] } = {}) {
  for (;;) {
    const id = randomUUID();
    const birth = opts.birth ?? `19${40 + Math.floor(Math.random() * 20)}-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}`;
    const residentId = makeResidentId('360121', birth, Math.floor(Math.random() * 999));
    const enc = encryptPersonPii(PiiCipher.fromEnv(), residentId, null);
    const rows: unknown[] = await ds.query(
      `INSERT INTO person (id, resident_id_enc, resident_id_bidx, pii_key_id, name, sex, birth_date, hukou_org_code, org_path, hardship)
       VALUES ($1,$2,$3,$4,$5,'M',$6,$7,$8,$9) ON CONFLICT (resident_id_bidx) DO NOTHING RETURNING id`,
      [id, enc.resident_id_enc, enc.resident_id_bidx, enc.pii_key_id, '张三', birth, villageCode, villagePath, opts.hardship ?? []],
    );
    if (rows.length) return { id, residentId, birth };
  }
}

/**
 * Gives a fixture person a disability certificate number (null: none), stored encrypted like the api
 * writes it; category and grade are set too when given.
 */
export async function setPersonCert(ds: DataSource, personId: string, certNo: string | null, cls?: { category: number; grade: number }) {
  const cipher = PiiCipher.fromEnv();
  const params: unknown[] = [personId, certNo ? cipher.encrypt('person.disability_cert_no', certNo) : null, cipher.currentKeyId];
  const extra = cls ? `, disability_category = $${params.push(cls.category)}, disability_grade = $${params.push(cls.grade)}` : '';
  const done: unknown[] = await ds.query(`UPDATE person SET disability_cert_no_enc = $2${extra} WHERE id = $1 AND pii_key_id = $3 RETURNING id`, params);
  if (!done.length) throw new Error(`person ${personId} is missing or under another key than ${cipher.currentKeyId}`);
}

export async function createCampaign(ds: DataSource, countyCode: string, w: { registrationStart: string; registrationEnd: string; screeningStart: string }) {
  const id = randomUUID();
  await ds.query(
    `INSERT INTO campaign (id, programme, name, org_unit_code, registration_start, registration_end, screening_start)
     VALUES ($1,'cataract',$2,$3,$4,$5,$6)`,
    [id, `光明行 ${w.registrationStart}`, countyCode, w.registrationStart, w.registrationEnd, w.screeningStart],
  );
  return { id };
}

/** 'YYYY-MM-DD' n days from today (Asia/Shanghai). */
export function shanghaiDay(offsetDays = 0): string {
  return new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}
