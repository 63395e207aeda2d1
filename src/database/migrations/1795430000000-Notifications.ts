import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notification delivery (issue 6): the delivery ledger (one row per message and channel; `dead`
 * rows are the dead-letter list), the log of every attempt, staff channel preferences, one digest
 * per person and day, and residents' recorded SMS consent.
 */
export class Notifications1795430000000 implements MigrationInterface {
  name = 'Notifications1795430000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"notification_delivery\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"job_key\" character varying(200) NOT NULL, \"channel\" character varying(16) NOT NULL, \"type\" character varying(32) NOT NULL, \"recipient_kind\" character varying(8) NOT NULL, \"recipient_id\" uuid NOT NULL, \"address\" character varying(120), \"case_id\" uuid, \"task_id\" character varying(64), \"vars\" jsonb NOT NULL DEFAULT '{}', \"status\" character varying(16) NOT NULL DEFAULT 'queued', \"attempts\" integer NOT NULL DEFAULT '0', \"retries\" integer NOT NULL DEFAULT '0', \"last_error\" text, \"not_before\" TIMESTAMP WITH TIME ZONE, \"sent_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_109dea88c25343da49d86de6bfd\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_notification_delivery_status\" ON \"notification_delivery\"  (\"status\", \"updated_at\") ");
    await queryRunner.query("CREATE INDEX \"ix_notification_delivery_case\" ON \"notification_delivery\"  (\"case_id\", \"created_at\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"ux_notification_delivery_key\" ON \"notification_delivery\"  (\"job_key\", \"channel\") ");
    await queryRunner.query("CREATE TABLE \"notification_attempt\" (\"id\" BIGSERIAL NOT NULL, \"delivery_id\" uuid, \"job_key\" character varying(200) NOT NULL, \"channel\" character varying(16) NOT NULL, \"recipient\" character varying(48) NOT NULL, \"case_id\" uuid, \"attempt_no\" integer NOT NULL, \"outcome\" character varying(24) NOT NULL, \"error\" text, \"at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_f77a48c4e0332fdb9a5e6c7473d\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_notification_attempt_case\" ON \"notification_attempt\"  (\"case_id\", \"at\") ");
    await queryRunner.query("CREATE INDEX \"ix_notification_attempt_delivery\" ON \"notification_attempt\"  (\"delivery_id\", \"attempt_no\") ");
    await queryRunner.query("CREATE TABLE \"notification_preference\" (\"user_id\" uuid NOT NULL, \"channels\" jsonb NOT NULL DEFAULT '{}', \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_ff040d2d2e35c49b00525783829\" PRIMARY KEY (\"user_id\"))");
    await queryRunner.query("CREATE TABLE \"notification_digest\" (\"user_id\" uuid NOT NULL, \"date\" date NOT NULL, \"items\" integer NOT NULL DEFAULT '0', \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_f23cafb6d9c46451e2e90cf7a15\" PRIMARY KEY (\"user_id\", \"date\"))");
    await queryRunner.query("CREATE TABLE \"person_sms_consent\" (\"person_id\" uuid NOT NULL, \"consent\" boolean NOT NULL DEFAULT false, \"consent_at\" TIMESTAMP WITH TIME ZONE, \"recorded_by\" uuid, \"note\" character varying(200), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_36de17ea59db3fceb8853d11f41\" PRIMARY KEY (\"person_id\"))");
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE \"person_sms_consent\"");
    await queryRunner.query("DROP TABLE \"notification_digest\"");
    await queryRunner.query("DROP TABLE \"notification_preference\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_notification_attempt_delivery\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_notification_attempt_case\"");
    await queryRunner.query("DROP TABLE \"notification_attempt\"");
    await queryRunner.query("DROP INDEX \"public\".\"ux_notification_delivery_key\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_notification_delivery_case\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_notification_delivery_status\"");
    await queryRunner.query("DROP TABLE \"notification_delivery\"");
  }
}
