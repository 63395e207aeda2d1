import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A person's residence village (居住地, e.g. where a residence permit was issued), besides the hukou
 * village: nullable code and its path, copied like org_path so scope queries stay a prefix match.
 * Staff whose area covers either path see the person; a child-rehab case applied for under a
 * residence permit is routed to the residence village. The path index (varchar_pattern_ops, partial:
 * most people have no separate residence) serves `residence_org_path LIKE '/…/%'`.
 */
export class PersonResidence1795490000000 implements MigrationInterface {
  name = 'PersonResidence1795490000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "person" ADD "residence_org_code" character varying(12)');
    await queryRunner.query('ALTER TABLE "person" ADD "residence_org_path" character varying(80)');
    await queryRunner.query(
      'CREATE INDEX "ix_person_residence_org_path" ON "person" ("residence_org_path" varchar_pattern_ops) WHERE "residence_org_path" IS NOT NULL',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX IF EXISTS "ix_person_residence_org_path"');
    await queryRunner.query('ALTER TABLE "person" DROP COLUMN "residence_org_path"');
    await queryRunner.query('ALTER TABLE "person" DROP COLUMN "residence_org_code"');
  }
}
