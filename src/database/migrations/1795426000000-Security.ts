import { MigrationInterface, QueryRunner } from 'typeorm';

export class Security1795426000000 implements MigrationInterface {
  name = 'Security1795426000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"audit_log\" (\"id\" BIGSERIAL NOT NULL, \"at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"actor_id\" uuid, \"actor_name\" character varying(64), \"action\" character varying(64) NOT NULL, \"target_type\" character varying(32), \"target_id\" character varying(80), \"ip\" character varying(64), \"success\" boolean NOT NULL, \"detail\" jsonb NOT NULL DEFAULT '{}', \"prev_hash\" character(64) NOT NULL, \"hash\" character(64) NOT NULL, CONSTRAINT \"PK_07fefa57f7f5ab8fc3f52b3ed0b\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE TABLE \"auth_session\" (\"id\" uuid NOT NULL, \"user_id\" uuid NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"last_seen_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"expires_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"revoked_at\" TIMESTAMP WITH TIME ZONE, \"ip\" character varying(64), \"user_agent\" character varying(200), CONSTRAINT \"PK_19354ed146424a728c1112a8cbf\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_auth_session_user\" ON \"auth_session\"  (\"user_id\", \"revoked_at\") ");
    await queryRunner.query("ALTER TABLE \"staff_user\" ADD \"failed_logins\" integer NOT NULL DEFAULT '0'");
    await queryRunner.query("ALTER TABLE \"staff_user\" ADD \"locked_until\" TIMESTAMP WITH TIME ZONE");
    await queryRunner.query("ALTER TABLE \"staff_user\" ADD \"totp_secret\" character varying(64)");
    await queryRunner.query("ALTER TABLE \"staff_user\" ADD \"totp_pending_secret\" character varying(64)");
    await queryRunner.query("ALTER TABLE \"staff_user\" ADD \"password_changed_at\" TIMESTAMP WITH TIME ZONE");
    // Append-only at the database level too: the app has no UPDATE/DELETE path, and the trigger
    // stops accidental ones; a privileged attacker who disables it is caught by the hash chain.
    await queryRunner.query(`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`);
    await queryRunner.query('CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log');
    await queryRunner.query('DROP FUNCTION IF EXISTS audit_log_append_only()');
    await queryRunner.query("ALTER TABLE \"staff_user\" DROP COLUMN \"password_changed_at\"");
    await queryRunner.query("ALTER TABLE \"staff_user\" DROP COLUMN \"totp_pending_secret\"");
    await queryRunner.query("ALTER TABLE \"staff_user\" DROP COLUMN \"totp_secret\"");
    await queryRunner.query("ALTER TABLE \"staff_user\" DROP COLUMN \"locked_until\"");
    await queryRunner.query("ALTER TABLE \"staff_user\" DROP COLUMN \"failed_logins\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_auth_session_user\"");
    await queryRunner.query("DROP TABLE \"auth_session\"");
    await queryRunner.query("DROP TABLE \"audit_log\"");
  }
}
