import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * org_unit.active: an admin can deactivate a unit (merged or abolished townships and villages)
 * instead of deleting it; its rows stay for history, nothing new is placed there. Existing units
 * are active. A constant default: no table rewrite.
 */
export class OrgUnitActive1795496000000 implements MigrationInterface {
  name = 'OrgUnitActive1795496000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "org_unit" ADD "active" boolean NOT NULL DEFAULT true');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "org_unit" DROP COLUMN "active"');
  }
}
