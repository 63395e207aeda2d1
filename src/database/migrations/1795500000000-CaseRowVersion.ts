import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * case_file.row_version: a change of the case row alone (step, data) with no timeline event, e.g.
 * intake done → training, is projected at once with the same projected_seq and a higher
 * row_version; (projected_seq, row_version) orders the projections of one case. Existing rows
 * start at 0. A constant default: no table rewrite.
 */
export class CaseRowVersion1795500000000 implements MigrationInterface {
  name = 'CaseRowVersion1795500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "case_file" ADD "row_version" integer NOT NULL DEFAULT 0');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "case_file" DROP COLUMN "row_version"');
  }
}
