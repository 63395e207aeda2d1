import { MigrationInterface, QueryRunner } from 'typeorm';
import { encryptPersonPii, PiiCipher } from '../../security/pii-crypto';

const BATCH = 1000;

/**
 * Resident ID and disability certificate number encrypted at rest (issue 9): adds the AES-256-GCM
 * ciphertext columns, the key id and the blind index (keyed HMAC, unique: a person is still
 * registered once), encrypts every existing row with the first key of PII_ENCRYPTION_KEY, then
 * drops the plain columns.
 *
 * The backfill runs here, in Node, inside the migration's transaction rather than as a separate
 * CLI step: the plain columns are dropped in the same transaction that fills the encrypted ones, so
 * there is no deployment where the code expects ciphertext and finds none, no step an operator can
 * forget, and a failure (for instance a missing key) rolls everything back and leaves the plain
 * schema untouched. The table is locked while it runs (a few seconds per 100 000 people).
 * Postgres never sees a key: encryption cannot be done in SQL without passing the key to it.
 */
export class PersonPiiEncryption1795470000000 implements MigrationInterface {
  name = 'PersonPiiEncryption1795470000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "person" ADD "resident_id_enc" bytea, ADD "resident_id_bidx" bytea, ADD "pii_key_id" character varying(16), ADD "disability_cert_no_enc" bytea');
    const [{ n }]: { n: number }[] = await queryRunner.query('SELECT count(*)::int AS n FROM "person"');
    if (n > 0) {
      const cipher = PiiCipher.fromEnv(); // throws (and rolls back) if the key is missing
      let last = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const rows: { id: string; resident_id: string; disability_cert_no: string | null }[] = await queryRunner.query(
          'SELECT "id", "resident_id", "disability_cert_no" FROM "person" WHERE "id" > $1 ORDER BY "id" LIMIT $2',
          [last, BATCH],
        );
        if (!rows.length) break;
        const cols = rows.map((r) => encryptPersonPii(cipher, r.resident_id, r.disability_cert_no));
        await queryRunner.query(
          `UPDATE "person" p SET "resident_id_enc" = x.enc, "resident_id_bidx" = x.bidx, "disability_cert_no_enc" = x.cert, "pii_key_id" = $5
           FROM unnest($1::uuid[], $2::bytea[], $3::bytea[], $4::bytea[]) AS x(id, enc, bidx, cert) WHERE p."id" = x.id`,
          [rows.map((r) => r.id), cols.map((c) => c.resident_id_enc), cols.map((c) => c.resident_id_bidx), cols.map((c) => c.disability_cert_no_enc), cipher.currentKeyId],
        );
        last = rows[rows.length - 1].id;
      }
    }
    await queryRunner.query('ALTER TABLE "person" ALTER COLUMN "resident_id_enc" SET NOT NULL, ALTER COLUMN "resident_id_bidx" SET NOT NULL, ALTER COLUMN "pii_key_id" SET NOT NULL');
    await queryRunner.query('DROP INDEX "public"."ux_person_resident_id"');
    await queryRunner.query('ALTER TABLE "person" DROP COLUMN "resident_id", DROP COLUMN "disability_cert_no"');
    await queryRunner.query('CREATE UNIQUE INDEX "ux_person_resident_id_bidx" ON "person" ("resident_id_bidx") ');
    await queryRunner.query('CREATE INDEX "ix_person_pii_key_id" ON "person" ("pii_key_id") ');
  }

  /** Back to plain columns (needs every key the rows were encrypted with). */
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "person" ADD "resident_id" character varying(18), ADD "disability_cert_no" character varying(24)');
    const rows: { id: string; resident_id_enc: Buffer; disability_cert_no_enc: Buffer | null; pii_key_id: string }[] = await queryRunner.query(
      'SELECT "id", "resident_id_enc", "disability_cert_no_enc", "pii_key_id" FROM "person"',
    );
    if (rows.length) {
      const cipher = PiiCipher.fromEnv();
      for (const r of rows) {
        await queryRunner.query('UPDATE "person" SET "resident_id" = $2, "disability_cert_no" = $3 WHERE "id" = $1', [
          r.id,
          cipher.decrypt('person.resident_id', r.pii_key_id, r.resident_id_enc),
          r.disability_cert_no_enc ? cipher.decrypt('person.disability_cert_no', r.pii_key_id, r.disability_cert_no_enc) : null,
        ]);
      }
    }
    await queryRunner.query('ALTER TABLE "person" ALTER COLUMN "resident_id" SET NOT NULL');
    await queryRunner.query('DROP INDEX "public"."ix_person_pii_key_id"');
    await queryRunner.query('DROP INDEX "public"."ux_person_resident_id_bidx"');
    await queryRunner.query('ALTER TABLE "person" DROP COLUMN "resident_id_enc", DROP COLUMN "resident_id_bidx", DROP COLUMN "pii_key_id", DROP COLUMN "disability_cert_no_enc"');
    await queryRunner.query('CREATE UNIQUE INDEX "ux_person_resident_id" ON "person" ("resident_id") ');
  }
}
