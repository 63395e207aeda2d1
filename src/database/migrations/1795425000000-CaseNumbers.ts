import { MigrationInterface, QueryRunner } from 'typeorm';

/** Human-readable case numbers (e.g. CAT-2026-000042) come from one sequence: unique without races. */
export class CaseNumbers1795425000000 implements MigrationInterface {
  name = 'CaseNumbers1795425000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE SEQUENCE IF NOT EXISTS "case_no_seq" START 1');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP SEQUENCE IF EXISTS "case_no_seq"');
  }
}
