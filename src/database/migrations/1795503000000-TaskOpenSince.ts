import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Open tasks by when their clock started (coalesce(clock_start_at, created_at)): the "no progress"
 * and "partner not acknowledging" lists page in that order, oldest first, so a paper application
 * typed in today but received three weeks ago comes before one received yesterday (they paged by
 * created_at). The same expression bounds the age range, so one index walk serves both.
 *
 * Outside a transaction so the index builds CONCURRENTLY (the projection keeps writing). Idempotent.
 */
export class TaskOpenSince1795503000000 implements MigrationInterface {
  name = 'TaskOpenSince1795503000000';
  transaction = false;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS "ix_task_open_since" ON "task" ((coalesce("clock_start_at", "created_at")), "id") INCLUDE ("case_id", "kind", "programme", "step", "partner_id", "assignee_user_id") WHERE "status" = 'open'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS "ix_task_open_since"');
  }
}
