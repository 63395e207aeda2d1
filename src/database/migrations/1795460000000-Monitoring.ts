import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Monitoring and yearly reports (issue 7): the `workday` table (working-day arithmetic in SQL:
 * n = running count of working days, refilled by WorkdayService), tracked bulk operations, and
 * the indexes the monitor, bottleneck and report queries use on the task and case_file read models
 * (declared with `synchronize: false` in src/monitoring/monitoring.entity.ts).
 *
 * Runs outside a transaction so the read-model indexes are built CONCURRENTLY: on a deployment with
 * millions of tasks the projection keeps writing while they build. Every statement is idempotent
 * (IF NOT EXISTS), so a run interrupted half-way can simply be run again.
 */
export class Monitoring1795460000000 implements MigrationInterface {
  name = 'Monitoring1795460000000';
  transaction = false;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE IF NOT EXISTS \"workday\" (\"date\" date NOT NULL, \"is_working\" boolean NOT NULL, \"n\" integer NOT NULL, CONSTRAINT \"PK_fe6794f3e8209bd9e98a914a9d1\" PRIMARY KEY (\"date\"))");
    await queryRunner.query("CREATE TABLE IF NOT EXISTS \"monitoring_operation\" (\"id\" uuid NOT NULL, \"kind\" character varying(32) NOT NULL, \"status\" character varying(16) NOT NULL DEFAULT 'running', \"requested_by\" uuid NOT NULL, \"org_path\" character varying(80) NOT NULL, \"params\" jsonb NOT NULL DEFAULT '{}', \"workflow_id\" character varying(80) NOT NULL, \"total\" integer NOT NULL DEFAULT '0', \"processed\" integer NOT NULL DEFAULT '0', \"failed\" integer NOT NULL DEFAULT '0', \"progress\" jsonb NOT NULL DEFAULT '{}', \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"finished_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_ee39ce5282ba9231e182da2841e\" PRIMARY KEY (\"id\"))");
    await queryRunner.query('CREATE INDEX IF NOT EXISTS "ix_monitoring_operation_scope" ON "monitoring_operation" ("org_path" varchar_pattern_ops, "created_at")');
    // Stuck lists: open tasks in due-date order (overdue) and in age order (no progress, partners, oldest ten).
    // INCLUDE: the filters and the join key come from the index (open tasks are a few % of all).
    await queryRunner.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS "ix_task_open_due" ON "task" ("due_at", "id") INCLUDE ("case_id", "kind") WHERE "status" = 'open'`);
    await queryRunner.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS "ix_task_open_created" ON "task" ("created_at", "id") INCLUDE ("case_id", "kind", "programme", "step", "partner_id", "assignee_user_id") WHERE "status" = 'open'`);
    // Bottlenecks and yearly figures: completed tasks by programme, step and completion time.
    await queryRunner.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS "ix_task_step_completed" ON "task" ("programme", "step", "completed_at") WHERE "status" = 'completed'`);
    await queryRunner.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS "ix_task_completed" ON "task" ("completed_at") WHERE "status" = 'completed'`);
    await queryRunner.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS "ix_case_programme_opened" ON "case_file" ("programme", "opened_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS "ix_case_programme_opened"');
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS "ix_task_completed"');
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS "ix_task_step_completed"');
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS "ix_task_open_created"');
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS "ix_task_open_due"');
    await queryRunner.query('DROP INDEX IF EXISTS "ix_monitoring_operation_scope"');
    await queryRunner.query('DROP TABLE IF EXISTS "monitoring_operation"');
    await queryRunner.query('DROP TABLE IF EXISTS "workday"');
  }
}
