import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Vocational training → placement (issue 5): the course catalogue per county and year, each
 * trainee's place on a course (waitlist order, hours, pass, certificate), employers' open
 * positions, employer headcount for the quota, and placements (channel, contract terms, whether
 * and how much they count toward the employer's quota, ended / stable).
 */
export class Training1795450000000 implements MigrationInterface {
  name = 'Training1795450000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"course\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"name\" character varying(120) NOT NULL, \"type\" character varying(32) NOT NULL, \"org_unit_code\" character varying(12) NOT NULL, \"year\" integer NOT NULL, \"institution_id\" uuid NOT NULL, \"start_date\" date NOT NULL, \"end_date\" date NOT NULL, \"hours\" integer NOT NULL, \"places\" integer NOT NULL, \"location\" character varying(200) NOT NULL, \"fee_per_trainee\" numeric(10,2), \"status\" character varying(12) NOT NULL DEFAULT 'open', \"created_by\" uuid, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_bf95180dd756fd204fb01ce4916\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_course_institution\" ON \"course\"  (\"institution_id\") ");
    await queryRunner.query("CREATE INDEX \"ix_course_county_year\" ON \"course\"  (\"org_unit_code\", \"year\") ");
    await queryRunner.query("CREATE TABLE \"course_enrolment\" (\"case_id\" uuid NOT NULL, \"course_id\" uuid NOT NULL, \"person_id\" uuid NOT NULL, \"org_path\" character varying(80) NOT NULL, \"workflow_id\" character varying(80) NOT NULL, \"status\" character varying(12) NOT NULL, \"requested_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"enrolled_at\" TIMESTAMP WITH TIME ZONE, \"notified_at\" TIMESTAMP WITH TIME ZONE, \"hours_attended\" numeric(7,1) NOT NULL DEFAULT '0', \"passed\" boolean, \"certificate_no\" character varying(40), \"certificate_level\" character varying(24), \"reason\" character varying(500), \"ended_at\" TIMESTAMP WITH TIME ZONE, \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_bcd273ed1c438c3d62631d3e7d4\" PRIMARY KEY (\"case_id\"))");
    await queryRunner.query("CREATE INDEX \"ix_course_enrolment_queue\" ON \"course_enrolment\"  (\"course_id\", \"status\", \"requested_at\") ");
    await queryRunner.query("CREATE TABLE \"job_position\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"employer_id\" uuid NOT NULL, \"title\" character varying(120) NOT NULL, \"openings\" integer NOT NULL, \"monthly_pay\" numeric(10,2), \"contract_months\" integer, \"social_insurance\" boolean NOT NULL DEFAULT true, \"location\" character varying(200), \"status\" character varying(12) NOT NULL DEFAULT 'open', \"created_by\" uuid, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_a8da939001bac801f87a981603f\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_job_position_employer\" ON \"job_position\"  (\"employer_id\") ");
    await queryRunner.query("CREATE TABLE \"employer_profile\" (\"partner_id\" uuid NOT NULL, \"headcount\" integer NOT NULL, \"quota_rate\" numeric(6,4), \"updated_by\" uuid, \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_94f55f64ce2a83f559c768a853a\" PRIMARY KEY (\"partner_id\"))");
    await queryRunner.query("CREATE TABLE \"job_placement\" (\"id\" character varying(64) NOT NULL, \"case_id\" uuid NOT NULL, \"person_id\" uuid NOT NULL, \"course_id\" uuid, \"org_path\" character varying(80) NOT NULL, \"channel\" character varying(20) NOT NULL, \"employer_id\" uuid, \"position_id\" uuid, \"detail\" character varying(200), \"start_date\" date NOT NULL, \"end_date\" date, \"contract_months\" integer, \"monthly_pay\" numeric(10,2), \"social_insurance\" boolean, \"business_licence\" character varying(40), \"support_amount\" numeric(10,2), \"disability_grade\" smallint, \"counts_toward_quota\" boolean NOT NULL DEFAULT false, \"quota_weight\" smallint NOT NULL DEFAULT '0', \"quota_reasons\" text array NOT NULL DEFAULT '{}', \"status\" character varying(12) NOT NULL, \"end_reason\" character varying(500), \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_ddd2da7cf7ef902b763475c5727\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_job_placement_case\" ON \"job_placement\"  (\"case_id\") ");
    await queryRunner.query("CREATE INDEX \"ix_job_placement_course\" ON \"job_placement\"  (\"course_id\") ");
    await queryRunner.query("CREATE INDEX \"ix_job_placement_employer\" ON \"job_placement\"  (\"employer_id\", \"start_date\") ");
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"ix_job_placement_employer\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_job_placement_course\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_job_placement_case\"");
    await queryRunner.query("DROP TABLE \"job_placement\"");
    await queryRunner.query("DROP TABLE \"employer_profile\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_job_position_employer\"");
    await queryRunner.query("DROP TABLE \"job_position\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_course_enrolment_queue\"");
    await queryRunner.query("DROP TABLE \"course_enrolment\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_course_county_year\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_course_institution\"");
    await queryRunner.query("DROP TABLE \"course\"");
  }
}
