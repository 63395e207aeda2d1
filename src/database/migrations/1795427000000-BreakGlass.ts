import { MigrationInterface, QueryRunner } from 'typeorm';

export class BreakGlass1795427000000 implements MigrationInterface {
  name = 'BreakGlass1795427000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "break_glass_grant" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "case_id" uuid NOT NULL, "reason" character varying(500) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_break_glass_grant" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_break_glass_user_case" ON "break_glass_grant" ("user_id", "case_id", "expires_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_break_glass_user_case"`);
    await queryRunner.query(`DROP TABLE "break_glass_grant"`);
  }
}
