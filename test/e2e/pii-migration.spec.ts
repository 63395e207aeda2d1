/**
 * The PersonPiiEncryption migration on a database with plain rows (a deployment upgrading): it
 * refuses (and changes nothing) without PII_ENCRYPTION_KEY, and with the key encrypts every row
 * (in batches), fills the blind index, drops the plain columns; the api's cipher reads them back.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { MIGRATIONS } from '../../src/database/migrations';
import { PersonPiiEncryption1795470000000 } from '../../src/database/migrations/1795470000000-PersonPiiEncryption';
import { decryptPersonRow, PiiCipher } from '../../src/security/pii-crypto';
import { makeResidentId } from '../setup/fixtures';
import { requireDatabase } from '../setup/services';

const dbName = `dpf_pii_mig_${randomBytes(4).toString('hex')}`;
let admin: DataSource;
let url: string;

function dataSource(migrations: Function[]) {
  return new DataSource({ ...dataSourceOptions(url, 2), migrations } as any);
}

beforeAll(async () => {
  const base = requireDatabase().databaseUrl;
  admin = new DataSource({ ...dataSourceOptions(base, 1), entities: [], migrations: [] } as any);
  await admin.initialize();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const u = new URL(base);
  u.pathname = `/${dbName}`;
  url = u.toString();
});
afterAll(async () => {
  await admin?.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin?.destroy();
});

test('existing plain rows are encrypted, indexed and the plain columns dropped; without the key nothing changes', async () => {
  const idx = MIGRATIONS.indexOf(PersonPiiEncryption1795470000000);
  expect(idx).toBeGreaterThan(0);
  const before = dataSource(MIGRATIONS.slice(0, idx));
  await before.initialize();
  const people: { residentId: string; cert: string | null }[] = [];
  try {
    await before.runMigrations({ transaction: 'each' });
    await before.query(`INSERT INTO org_unit (code, name, level, parent_code, path) VALUES ('360121', '测试县', 'county', NULL, '/360121/')`);
    // More than one batch (1000 rows), some with a certificate.
    for (let i = 0; i < 1203; i++) {
      const residentId = makeResidentId('360121', `19${50 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`, 100 + Math.floor(i / 360));
      if (people.some((p) => p.residentId === residentId)) continue;
      people.push({ residentId, cert: i % 3 === 0 ? `${residentId}43` : null });
    }
    await before.query(
      `INSERT INTO person (resident_id, disability_cert_no, name, sex, birth_date, hukou_org_code, org_path)
       SELECT r, c, '旧数据', 'M', date '1950-01-01', '360121', '/360121/' FROM unnest($1::text[], $2::text[]) AS x(r, c)`,
      [people.map((p) => p.residentId), people.map((p) => p.cert)],
    );
  } finally {
    await before.destroy();
  }
  expect(people.length).toBeGreaterThan(1000);

  const all = dataSource(MIGRATIONS);
  await all.initialize();
  const saved = process.env.PII_ENCRYPTION_KEY;
  try {
    // No key: the migration fails with the variable named, and rolls back (plain columns intact).
    delete process.env.PII_ENCRYPTION_KEY;
    await expect(all.runMigrations({ transaction: 'each' })).rejects.toThrow(/PII_ENCRYPTION_KEY is not set/);
    const [{ n }] = await all.query(`SELECT count(*)::int AS n FROM person WHERE resident_id IS NOT NULL`);
    expect(n).toBe(people.length);

    process.env.PII_ENCRYPTION_KEY = saved;
    const ran = await all.runMigrations({ transaction: 'each' });
    // this migration and the ones after it (each class is named after its migration)
    expect(ran.map((m) => m.name)).toEqual(MIGRATIONS.slice(idx).map((m) => m.name));
    expect(ran[0].name).toBe('PersonPiiEncryption1795470000000');

    const cols: { column_name: string }[] = await all.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'person'`);
    const names = cols.map((c) => c.column_name);
    expect(names).not.toContain('resident_id');
    expect(names).not.toContain('disability_cert_no');
    expect(names).toEqual(expect.arrayContaining(['resident_id_enc', 'resident_id_bidx', 'pii_key_id', 'disability_cert_no_enc']));

    const cipher = PiiCipher.fromEnv();
    const rows: any[] = await all.query(`SELECT p.*, p::text AS text FROM person p`);
    expect(rows).toHaveLength(people.length);
    const byId = new Map(people.map((p) => [p.residentId, p.cert]));
    for (const r of rows) {
      expect(r.pii_key_id).toBe(cipher.currentKeyId);
      const plain = decryptPersonRow(cipher, r);
      expect(byId.has(plain.resident_id)).toBe(true);
      expect(plain.disability_cert_no).toBe(byId.get(plain.resident_id));
      expect(r.text).not.toContain(plain.resident_id);
      expect(r.resident_id_bidx.equals(cipher.blindIndex(plain.resident_id))).toBe(true);
    }
    // The blind index is unique: the same person cannot be inserted twice.
    const one = rows[0];
    await expect(
      all.query(
        `INSERT INTO person (resident_id_enc, resident_id_bidx, pii_key_id, name, sex, birth_date, hukou_org_code, org_path)
         VALUES ($1, $2, $3, '重复', 'M', '1950-01-01', '360121', '/360121/')`,
        [one.resident_id_enc, one.resident_id_bidx, one.pii_key_id],
      ),
    ).rejects.toThrow(/ux_person_resident_id_bidx/);
  } finally {
    process.env.PII_ENCRYPTION_KEY = saved;
    await all.destroy();
  }
});

test('key rotation: pii-rotate re-encrypts every row under the new first key; the old key can then go', async () => {
  const old = process.env.PII_ENCRYPTION_KEY!;
  const fresh = `r${Date.now() % 100000}:${randomBytes(32).toString('base64')}`;
  const ds = dataSource(MIGRATIONS);
  await ds.initialize();
  try {
    const before: any[] = await ds.query(`SELECT id, resident_id_enc, resident_id_bidx, disability_cert_no_enc, pii_key_id FROM person ORDER BY id`);
    expect(before.length).toBeGreaterThan(1000);
    const oldCipher = PiiCipher.fromEnv();
    const plain = new Map(before.map((r) => [r.id, decryptPersonRow(oldCipher, r)]));

    const cli = (key: string) =>
      spawnSync(process.execPath, [join(__dirname, '..', '..', 'dist', 'src', 'database', 'cli.js'), 'pii-rotate'], {
        encoding: 'utf8', env: { PATH: process.env.PATH!, DATABASE_URL: url, PII_ENCRYPTION_KEY: key }, timeout: 120_000,
      });
    const run = cli(`${fresh},${old}`);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`re-encrypted ${before.length} person rows`);

    // Only the new key is needed now: every row decrypts to the same values and is indexed under it.
    const newOnly = PiiCipher.fromEnv({ PII_ENCRYPTION_KEY: fresh });
    const after: any[] = await ds.query(`SELECT id, resident_id_enc, resident_id_bidx, disability_cert_no_enc, pii_key_id FROM person ORDER BY id`);
    for (const r of after) {
      expect(r.pii_key_id).toBe(newOnly.currentKeyId);
      const p = decryptPersonRow(newOnly, r);
      expect(p).toEqual(plain.get(r.id));
      expect(r.resident_id_bidx.equals(newOnly.blindIndex(p.resident_id))).toBe(true);
    }
    // Running it again changes nothing.
    const again = cli(`${fresh},${old}`);
    expect([again.status, again.stdout.includes('re-encrypted 0 person rows')]).toEqual([0, true]);
    // Without the key the rows were written under, it refuses and names it.
    const wrong = cli(`zz:${randomBytes(32).toString('base64')}`);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/key id r\d+, which is not in PII_ENCRYPTION_KEY/);
  } finally {
    await ds.destroy();
  }
});
