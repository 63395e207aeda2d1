import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795421531082 implements MigrationInterface {
  name = 'InitialSchema1795421531082';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"staff_user\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"username\" character varying(64) NOT NULL, \"display_name\" character varying(64) NOT NULL, \"password_hash\" character varying(255) NOT NULL, \"role\" character varying(32) NOT NULL, \"org_unit_code\" character varying(12) NOT NULL, \"partner_id\" uuid, \"phone\" character varying(20), \"email\" character varying(120), \"locale\" character varying(8) NOT NULL DEFAULT 'zh-CN', \"active\" boolean NOT NULL DEFAULT true, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_cec9365d9fc3a3409158b645f2e\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"ux_staff_user_username\" ON \"staff_user\"  (\"username\") ");
    await queryRunner.query("CREATE INDEX \"ix_staff_user_org\" ON \"staff_user\"  (\"org_unit_code\") ");
    await queryRunner.query("CREATE TABLE \"calendar_override\" (\"date\" date NOT NULL, \"kind\" character varying(8) NOT NULL, \"name\" character varying(40), \"created_by\" uuid, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_8e0e9700ae5a92aaa00fe40c855\" PRIMARY KEY (\"date\"))");
    await queryRunner.query("CREATE TABLE \"calendar_year\" (\"year\" integer NOT NULL, \"source\" character varying(200), \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_4a5f5b39f8e07f51dab5be6fed9\" PRIMARY KEY (\"year\"))");
    await queryRunner.query("CREATE TABLE \"case_event\" (\"id\" BIGSERIAL NOT NULL, \"case_id\" uuid NOT NULL, \"seq\" integer NOT NULL, \"type\" character varying(48) NOT NULL, \"step\" character varying(40), \"task_id\" character varying(64), \"actor_id\" uuid, \"actor_name\" character varying(64), \"actor_role\" character varying(32), \"decision\" character varying(24), \"reason\" text, \"rule_version\" character varying(40) NOT NULL, \"data\" jsonb NOT NULL DEFAULT '{}', \"at\" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT \"PK_5b6e18b2d4fd178711a2269645e\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"ux_case_event_seq\" ON \"case_event\"  (\"case_id\", \"seq\") ");
    await queryRunner.query("CREATE TABLE \"case_file\" (\"id\" uuid NOT NULL, \"case_no\" character varying(32) NOT NULL, \"programme\" character varying(32) NOT NULL, \"person_id\" uuid NOT NULL, \"org_unit_code\" character varying(12) NOT NULL, \"org_path\" character varying(80) NOT NULL, \"status\" character varying(12) NOT NULL DEFAULT 'open', \"step\" character varying(40) NOT NULL, \"waiting_on\" character varying(16) NOT NULL DEFAULT 'staff', \"outcome\" character varying(40), \"workflow_id\" character varying(80) NOT NULL, \"rule_version\" character varying(40) NOT NULL, \"partner_id\" uuid, \"campaign_id\" uuid, \"created_by\" uuid, \"data\" jsonb NOT NULL DEFAULT '{}', \"projected_seq\" integer NOT NULL DEFAULT '0', \"opened_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"closed_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_911fb1b39fb664d0e88843036b9\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"ux_case_no\" ON \"case_file\"  (\"case_no\") ");
    await queryRunner.query("CREATE INDEX \"ix_case_person\" ON \"case_file\"  (\"person_id\") ");
    await queryRunner.query("CREATE INDEX \"ix_case_status_opened\" ON \"case_file\"  (\"status\", \"opened_at\") ");
    await queryRunner.query("CREATE TABLE \"notification\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"dedupe_key\" character varying(160) NOT NULL, \"user_id\" uuid NOT NULL, \"type\" character varying(32) NOT NULL, \"title\" character varying(200) NOT NULL, \"body\" text NOT NULL, \"case_id\" uuid, \"task_id\" character varying(64), \"read_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_705b6c7cdf9b2c2ff7ac7872cb7\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"ux_notification_dedupe\" ON \"notification\"  (\"dedupe_key\") ");
    await queryRunner.query("CREATE INDEX \"ix_notification_user\" ON \"notification\"  (\"user_id\", \"read_at\", \"created_at\") ");
    await queryRunner.query("CREATE TABLE \"org_unit\" (\"code\" character varying(12) NOT NULL, \"name\" character varying(100) NOT NULL, \"name_en\" character varying(100), \"level\" character varying(10) NOT NULL, \"parent_code\" character varying(12), \"path\" character varying(80) NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_b030ad27296e9df74659dcb8ec6\" PRIMARY KEY (\"code\"))");
    await queryRunner.query("CREATE INDEX \"ix_org_unit_parent\" ON \"org_unit\"  (\"parent_code\") ");
    await queryRunner.query("CREATE TABLE \"partner\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"name\" character varying(120) NOT NULL, \"kind\" character varying(24) NOT NULL, \"org_unit_code\" character varying(12) NOT NULL, \"services\" text array NOT NULL DEFAULT '{}', \"capacity\" integer, \"agreement_start\" date NOT NULL, \"agreement_end\" date NOT NULL, \"status\" character varying(12) NOT NULL DEFAULT 'active', \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_8f34ff11ddd5459eacbfacd48ca\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_partner_org\" ON \"partner\"  (\"org_unit_code\") ");
    await queryRunner.query("CREATE TABLE \"person\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"resident_id\" character varying(18) NOT NULL, \"name\" character varying(64) NOT NULL, \"sex\" character(1) NOT NULL, \"birth_date\" date NOT NULL, \"phone\" character varying(20), \"hukou_org_code\" character varying(12) NOT NULL, \"org_path\" character varying(80) NOT NULL, \"disability_cert_no\" character varying(24), \"disability_category\" smallint, \"disability_grade\" smallint, \"cert_reissue\" smallint NOT NULL DEFAULT '0', \"hardship\" text array NOT NULL DEFAULT '{}', \"guardian_name\" character varying(64), \"guardian_relation\" character varying(32), \"guardian_phone\" character varying(20), \"created_by\" uuid, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_5fdaf670315c4b7e70cce85daa3\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"ux_person_resident_id\" ON \"person\"  (\"resident_id\") ");
    await queryRunner.query("CREATE TABLE \"campaign\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"programme\" character varying(32) NOT NULL, \"name\" character varying(100) NOT NULL, \"org_unit_code\" character varying(12) NOT NULL, \"registration_start\" date NOT NULL, \"registration_end\" date NOT NULL, \"screening_start\" date NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_0ce34d26e7f2eb316a3a592cdc4\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_campaign_window\" ON \"campaign\"  (\"programme\", \"org_unit_code\", \"registration_start\") ");
    await queryRunner.query("CREATE TABLE \"programme_config\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"programme\" character varying(32) NOT NULL, \"org_unit_code\" character varying(12) NOT NULL, \"effective_from\" date NOT NULL, \"version\" character varying(60) NOT NULL, \"settings\" jsonb NOT NULL, \"created_by\" uuid, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_b9c5900b05cc94af519a721cd9a\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"ux_programme_config\" ON \"programme_config\"  (\"programme\", \"org_unit_code\", \"effective_from\") ");
    await queryRunner.query("CREATE TABLE \"task\" (\"id\" character varying(64) NOT NULL, \"case_id\" uuid NOT NULL, \"programme\" character varying(32) NOT NULL, \"step\" character varying(40) NOT NULL, \"kind\" character varying(12) NOT NULL, \"status\" character varying(12) NOT NULL DEFAULT 'open', \"assignee_role\" character varying(32) NOT NULL, \"org_unit_code\" character varying(12) NOT NULL, \"org_path\" character varying(80) NOT NULL, \"partner_id\" uuid, \"assignee_user_id\" uuid, \"due_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"due_date\" date NOT NULL, \"overdue\" boolean NOT NULL DEFAULT false, \"reminded_at\" TIMESTAMP WITH TIME ZONE, \"escalated_at\" TIMESTAMP WITH TIME ZONE, \"decision\" character varying(24), \"decided_by\" uuid, \"note\" text, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"completed_at\" TIMESTAMP WITH TIME ZONE, \"projected_seq\" integer NOT NULL DEFAULT '0', CONSTRAINT \"PK_fb213f79ee45060ba925ecd576e\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_task_partner\" ON \"task\"  (\"partner_id\", \"status\") ");
    await queryRunner.query("CREATE INDEX \"ix_task_case\" ON \"task\"  (\"case_id\") ");
    await queryRunner.query("CREATE INDEX \"ix_task_assignee\" ON \"task\"  (\"assignee_user_id\", \"status\", \"due_at\", \"id\") ");
    await queryRunner.query("CREATE INDEX \"ix_task_inbox\" ON \"task\"  (\"assignee_role\", \"status\", \"due_at\", \"id\") ");
    // Prefix indexes for org-scope queries ("everything under this county" = path LIKE '/3601/360121/%').
    // varchar_pattern_ops makes LIKE 'prefix%' indexable under any database collation.
    await queryRunner.query('CREATE INDEX "ix_org_unit_path" ON "org_unit" ("path" varchar_pattern_ops)');
    await queryRunner.query('CREATE INDEX "ix_person_org_path" ON "person" ("org_path" varchar_pattern_ops)');
    await queryRunner.query('CREATE INDEX "ix_case_org_path" ON "case_file" ("org_path" varchar_pattern_ops, "status")');
    await queryRunner.query('CREATE INDEX "ix_task_org_path" ON "task" ("org_path" varchar_pattern_ops, "status")');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX IF EXISTS "ix_task_org_path"');
    await queryRunner.query('DROP INDEX IF EXISTS "ix_case_org_path"');
    await queryRunner.query('DROP INDEX IF EXISTS "ix_person_org_path"');
    await queryRunner.query('DROP INDEX IF EXISTS "ix_org_unit_path"');
    await queryRunner.query("DROP INDEX \"public\".\"ix_task_inbox\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_task_assignee\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_task_case\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_task_partner\"");
    await queryRunner.query("DROP TABLE \"task\"");
    await queryRunner.query("DROP INDEX \"public\".\"ux_programme_config\"");
    await queryRunner.query("DROP TABLE \"programme_config\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_campaign_window\"");
    await queryRunner.query("DROP TABLE \"campaign\"");
    await queryRunner.query("DROP INDEX \"public\".\"ux_person_resident_id\"");
    await queryRunner.query("DROP TABLE \"person\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_partner_org\"");
    await queryRunner.query("DROP TABLE \"partner\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_org_unit_parent\"");
    await queryRunner.query("DROP TABLE \"org_unit\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_notification_user\"");
    await queryRunner.query("DROP INDEX \"public\".\"ux_notification_dedupe\"");
    await queryRunner.query("DROP TABLE \"notification\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_case_status_opened\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_case_person\"");
    await queryRunner.query("DROP INDEX \"public\".\"ux_case_no\"");
    await queryRunner.query("DROP TABLE \"case_file\"");
    await queryRunner.query("DROP INDEX \"public\".\"ux_case_event_seq\"");
    await queryRunner.query("DROP TABLE \"case_event\"");
    await queryRunner.query("DROP TABLE \"calendar_year\"");
    await queryRunner.query("DROP TABLE \"calendar_override\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_staff_user_org\"");
    await queryRunner.query("DROP INDEX \"public\".\"ux_staff_user_username\"");
    await queryRunner.query("DROP TABLE \"staff_user\"");
  }
}
