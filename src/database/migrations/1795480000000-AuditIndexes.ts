import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for reading the audit log (GET /admin/audit, /admin/audit.csv): by actor, by time range
 * and by target ("who read this person's record"), each ending in id for the newest-first keyset.
 * Built CONCURRENTLY outside a transaction: every sign-in and every read of a record appends to
 * audit_log, and those writes must not wait for the build. Idempotent (IF NOT EXISTS).
 */
export class AuditIndexes1795480000000 implements MigrationInterface {
  name = 'AuditIndexes1795480000000';
  transaction = false;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX CONCURRENTLY IF NOT EXISTS "ix_audit_actor" ON "audit_log" ("actor_id", "id")');
    await queryRunner.query('CREATE INDEX CONCURRENTLY IF NOT EXISTS "ix_audit_at" ON "audit_log" ("at")');
    await queryRunner.query('CREATE INDEX CONCURRENTLY IF NOT EXISTS "ix_audit_target" ON "audit_log" ("target_type", "target_id", "id")');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS "ix_audit_target"');
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS "ix_audit_at"');
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS "ix_audit_actor"');
  }
}
