import { DataSource, EntityManager } from 'typeorm';
import { hashPassword } from '../../auth/passwords';
import { encryptPersonPii, PiiCipher } from '../../security/pii-crypto';
import { DEMO_PASSWORD } from './demo-accounts';
import { seedDemoCampaigns } from './demo-campaigns';
import { DEMO_PARTNERS, DEMO_STAFF, DEMO_UNITS } from './demo-org';
import { DEMO_PEOPLE } from './demo-people';
import { shanghaiToday } from './prng';

/**
 * Reference data every deployment needs; safe to run on every start (idempotent).
 *
 * Deliberately empty today, and that is correct rather than unfinished:
 *  - programme settings: each programme's defaults ship with its step table
 *    (workflows/programs/<programme>/steps.ts); `programme_config` rows are jurisdiction
 *    overrides entered by an admin, and there is no national jurisdiction row to seed;
 *  - working-day calendar: the official holidays come from the bundled dataset (chinese-days);
 *    `calendar_override` / `calendar_year` hold only what an admin enters for a new year;
 *  - org units, partners and accounts are each deployment's own data (imported, not seeded).
 * Anything truly national that later needs a table row belongs here, inserted with fixed keys
 * and ON CONFLICT DO NOTHING.
 */
export async function seedReference(_ds: DataSource): Promise<void> {
  // nothing to insert (see above)
}

export interface DemoSeedResult {
  orgUnits: number;
  partners: number;
  staff: number;
  people: number;
  campaigns: number;
}

/**
 * Demo data for local trials: the 示范市 org tree, partners, staff for every role (password
 * DEMO_PASSWORD), 200 residents and cataract campaigns. Every row has a fixed key and is inserted
 * with ON CONFLICT DO NOTHING, in one transaction: a second run inserts nothing and never
 * overwrites what a user changed in the demo. Returns how many rows this run inserted.
 * Cases are not created here: they go through the real api (seed/demo-cases.ts, `seed-cases`).
 */
export async function seedDemo(ds: DataSource, cipher: PiiCipher = PiiCipher.fromEnv()): Promise<DemoSeedResult> {
  // One argon2 hash for all demo accounts (same password); only new rows ever receive it.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return ds.transaction(async (m) => {
    const orgUnits = await insertOrgUnits(m);
    const partners = await insertPartners(m);
    const staff = await insertStaff(m, passwordHash);
    const people = await insertPeople(m, cipher);
    const campaigns = await seedDemoCampaigns(m, shanghaiToday());
    return { orgUnits, partners, staff, people, campaigns };
  });
}

/** Multi-row INSERT … ON CONFLICT DO NOTHING in chunks; returns the number of rows inserted. */
async function insertMany(m: EntityManager, table: string, columns: string[], rows: unknown[][], chunk = 100): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const params: unknown[] = [];
    const values = part.map((r) => `(${r.map((v) => (params.push(v), `$${params.length}`)).join(', ')})`);
    const res: unknown[] = await m.query(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')} ON CONFLICT DO NOTHING RETURNING 1`,
      params,
    );
    inserted += res.length;
  }
  return inserted;
}

function insertOrgUnits(m: EntityManager) {
  return insertMany(
    m,
    'org_unit',
    ['code', 'name', 'name_en', 'level', 'parent_code', 'path'],
    DEMO_UNITS.map((u) => [u.code, u.name, u.nameEn, u.level, u.parentCode, u.path]),
  );
}

function insertPartners(m: EntityManager) {
  return insertMany(
    m,
    'partner',
    ['id', 'name', 'kind', 'org_unit_code', 'services', 'capacity', 'agreement_start', 'agreement_end', 'status'],
    DEMO_PARTNERS.map((p) => [p.id, p.name, p.kind, p.orgUnitCode, p.services, p.capacity, p.agreementStart, p.agreementEnd, p.status]),
  );
}

function insertStaff(m: EntityManager, passwordHash: string) {
  return insertMany(
    m,
    'staff_user',
    ['id', 'username', 'display_name', 'password_hash', 'role', 'org_unit_code', 'partner_id', 'locale'],
    DEMO_STAFF.map((s) => [s.id, s.username, s.displayName, passwordHash, s.role, s.orgUnitCode, s.partnerId, 'zh-CN']),
  );
}

/** Resident ID and certificate number encrypted like the api does (src/security/pii-crypto.ts). */
function insertPeople(m: EntityManager, cipher: PiiCipher) {
  return insertMany(
    m,
    'person',
    [
      'id', 'resident_id_enc', 'resident_id_bidx', 'pii_key_id', 'name', 'sex', 'birth_date', 'phone', 'hukou_org_code', 'org_path',
      'disability_cert_no_enc', 'disability_category', 'disability_grade', 'cert_reissue', 'hardship',
      'guardian_name', 'guardian_relation', 'guardian_phone',
    ],
    DEMO_PEOPLE.map((p) => {
      const enc = encryptPersonPii(cipher, p.residentId, p.disabilityCertNo);
      return [
        p.id, enc.resident_id_enc, enc.resident_id_bidx, enc.pii_key_id, p.name, p.sex, p.birthDate, p.phone, p.hukouOrgCode, p.orgPath,
        enc.disability_cert_no_enc, p.disabilityCategory, p.disabilityGrade, p.certReissue, p.hardship,
        p.guardianName, p.guardianRelation, p.guardianPhone,
      ];
    }),
  );
}
