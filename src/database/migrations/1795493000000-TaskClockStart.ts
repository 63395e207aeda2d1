import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Receipt date of a paper application (受理日期, issue 7): `task.clock_start_at` is when a task's
 * time limit started if that is not when the task opened (the first task of a case registered
 * with an earlier receipt date). Null = created_at, so existing rows need no backfill and
 * created_at stays the truthful opening time. A small partial index lets the "no progress" list
 * find such tasks next to its walk of ix_task_open_created.
 *
 * Outside a transaction so the index builds CONCURRENTLY (the projection keeps writing); adding a
 * nullable column without a default is instant. Idempotent.
 */
export class TaskClockStart1795493000000 implements MigrationInterface {
  name = 'TaskClockStart1795493000000';
  transaction = false;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "task" ADD COLUMN IF NOT EXISTS "clock_start_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS "ix_task_open_clock" ON "task" ("clock_start_at", "id") WHERE "status" = 'open' AND "clock_start_at" IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS "ix_task_open_clock"');
    await queryRunner.query('ALTER TABLE "task" DROP COLUMN IF EXISTS "clock_start_at"');
  }
}
