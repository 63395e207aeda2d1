import { MigrationInterface, QueryRunner } from 'typeorm';

export class ChildRehab1795440000000 implements MigrationInterface {
  name = 'ChildRehab1795440000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"payment\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"payment_key\" character varying(120) NOT NULL, \"case_id\" uuid NOT NULL, \"programme\" character varying(32) NOT NULL, \"person_id\" uuid NOT NULL, \"org_path\" character varying(80) NOT NULL, \"partner_id\" uuid, \"payee_kind\" character varying(12) NOT NULL, \"item\" character varying(24) NOT NULL, \"amount\" numeric(12,2) NOT NULL, \"year\" integer NOT NULL, \"approved_by\" uuid, \"reference\" character varying(80), \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_fcaec7df5adf9cac408c686b2ab\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"ux_payment_key\" ON \"payment\"  (\"payment_key\") ");
    await queryRunner.query("CREATE INDEX \"ix_payment_case\" ON \"payment\"  (\"case_id\") ");
    await queryRunner.query("CREATE INDEX \"ix_payment_programme_year\" ON \"payment\"  (\"programme\", \"year\") ");
    await queryRunner.query("CREATE TABLE \"rehab_agreement\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"agreement_key\" character varying(80) NOT NULL, \"case_id\" uuid NOT NULL, \"person_id\" uuid NOT NULL, \"partner_id\" uuid NOT NULL, \"org_path\" character varying(80) NOT NULL, \"category\" character varying(16) NOT NULL, \"year\" integer NOT NULL, \"status\" character varying(12) NOT NULL DEFAULT 'active', \"out_of_area\" boolean NOT NULL DEFAULT false, \"months\" integer NOT NULL DEFAULT '0', \"effective\" boolean, \"started_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"ended_at\" TIMESTAMP WITH TIME ZONE, \"end_reason\" character varying(40), CONSTRAINT \"PK_4136600a13bc051fc3ad9b0ff4a\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"ux_rehab_agreement_key\" ON \"rehab_agreement\"  (\"agreement_key\") ");
    await queryRunner.query("CREATE INDEX \"ix_rehab_agreement_case\" ON \"rehab_agreement\"  (\"case_id\") ");
    await queryRunner.query("CREATE INDEX \"ix_rehab_agreement_year\" ON \"rehab_agreement\"  (\"year\") ");
    await queryRunner.query("CREATE INDEX \"ix_rehab_agreement_partner\" ON \"rehab_agreement\"  (\"partner_id\", \"status\") ");
    await queryRunner.query("CREATE TABLE \"rehab_waitlist\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"partner_id\" uuid NOT NULL, \"case_id\" uuid NOT NULL, \"person_id\" uuid NOT NULL, \"org_path\" character varying(80) NOT NULL, \"category\" character varying(16) NOT NULL, \"priority\" integer NOT NULL DEFAULT '0', \"status\" character varying(12) NOT NULL DEFAULT 'waiting', \"joined_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"left_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_fbf81d77c66fa2155fbe392e8ef\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_rehab_waitlist_order\" ON \"rehab_waitlist\"  (\"partner_id\", \"status\", \"priority\", \"joined_at\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"ux_rehab_waitlist_partner_case\" ON \"rehab_waitlist\"  (\"partner_id\", \"case_id\") ");
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"ux_rehab_waitlist_partner_case\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_rehab_waitlist_order\"");
    await queryRunner.query("DROP TABLE \"rehab_waitlist\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_rehab_agreement_partner\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_rehab_agreement_year\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_rehab_agreement_case\"");
    await queryRunner.query("DROP INDEX \"public\".\"ux_rehab_agreement_key\"");
    await queryRunner.query("DROP TABLE \"rehab_agreement\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_payment_programme_year\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_payment_case\"");
    await queryRunner.query("DROP INDEX \"public\".\"ux_payment_key\"");
    await queryRunner.query("DROP TABLE \"payment\"");
  }
}
