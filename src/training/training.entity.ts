import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A course of a county's annual training plan (培训计划), run by a training institution (a partner). */
@Entity('course')
@Index('ix_course_county_year', ['orgUnitCode', 'year'])
export class Course {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  /** employment_skills, rural_practical, entrepreneurship, ecommerce, blind_massage, other. */
  @Column({ type: 'varchar', length: 32 })
  type: string;

  /** The county whose plan holds the course. */
  @Column({ name: 'org_unit_code', type: 'varchar', length: 12 })
  orgUnitCode: string;

  @Column({ type: 'int' })
  year: number;

  @Column({ name: 'institution_id', type: 'uuid' })
  @Index('ix_course_institution')
  institutionId: string;

  @Column({ name: 'start_date', type: 'date' })
  startDate: string;

  @Column({ name: 'end_date', type: 'date' })
  endDate: string;

  @Column({ type: 'int' })
  hours: number;

  @Column({ type: 'int' })
  places: number;

  @Column({ type: 'varchar', length: 200 })
  location: string;

  /** Agreed fee per trainee (yuan); null = the programme setting trainingFeePerTrainee. */
  @Column({ name: 'fee_per_trainee', type: 'numeric', precision: 10, scale: 2, nullable: true })
  feePerTrainee: string | null;

  /** open (recruiting), closed (no new enrolments), cancelled. */
  @Column({ type: 'varchar', length: 12, default: 'open' })
  status: string;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * A trainee's place on a course (one row per training case), written by the case's activities:
 * waiting (ordered by requested_at) → enrolled → completed / dropped / incomplete; or expired.
 */
@Entity('course_enrolment')
@Index('ix_course_enrolment_queue', ['courseId', 'status', 'requestedAt'])
export class CourseEnrolment {
  @PrimaryColumn({ name: 'case_id', type: 'uuid' })
  caseId: string;

  @Column({ name: 'course_id', type: 'uuid' })
  courseId: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  /** The trainee's org path (scope of reports). */
  @Column({ name: 'org_path', type: 'varchar', length: 80 })
  orgPath: string;

  @Column({ name: 'workflow_id', type: 'varchar', length: 80 })
  workflowId: string;

  @Column({ type: 'varchar', length: 12 })
  status: string;

  @CreateDateColumn({ name: 'requested_at', type: 'timestamptz' })
  requestedAt: Date;

  @Column({ name: 'enrolled_at', type: 'timestamptz', nullable: true })
  enrolledAt: Date | null;

  /** When the workflow of a trainee moved in from the waitlist was signalled (null = still to do). */
  @Column({ name: 'notified_at', type: 'timestamptz', nullable: true })
  notifiedAt: Date | null;

  @Column({ name: 'hours_attended', type: 'numeric', precision: 7, scale: 1, default: 0 })
  hoursAttended: string;

  @Column({ type: 'boolean', nullable: true })
  passed: boolean | null;

  @Column({ name: 'certificate_no', type: 'varchar', length: 40, nullable: true })
  certificateNo: string | null;

  @Column({ name: 'certificate_level', type: 'varchar', length: 24, nullable: true })
  certificateLevel: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** An open position at an employer (a partner of kind employer). */
@Entity('job_position')
export class JobPosition {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'employer_id', type: 'uuid' })
  @Index('ix_job_position_employer')
  employerId: string;

  @Column({ type: 'varchar', length: 120 })
  title: string;

  @Column({ type: 'int' })
  openings: number;

  @Column({ name: 'monthly_pay', type: 'numeric', precision: 10, scale: 2, nullable: true })
  monthlyPay: string | null;

  @Column({ name: 'contract_months', type: 'int', nullable: true })
  contractMonths: number | null;

  @Column({ name: 'social_insurance', type: 'boolean', default: true })
  socialInsurance: boolean;

  @Column({ type: 'varchar', length: 200, nullable: true })
  location: string | null;

  /** open, closed. */
  @Column({ type: 'varchar', length: 12, default: 'open' })
  status: string;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** Employer attributes for the quota (按比例就业): staff headcount and, if local rules differ, the rate. */
@Entity('employer_profile')
export class EmployerProfile {
  @PrimaryColumn({ name: 'partner_id', type: 'uuid' })
  partnerId: string;

  @Column({ type: 'int' })
  headcount: number;

  /** null = the programme setting rules.quotaRate (1.5 %). */
  @Column({ name: 'quota_rate', type: 'numeric', precision: 6, scale: 4, nullable: true })
  quotaRate: string | null;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** One placement of a trainee (a lost job and a new placement are two rows), written by the case's activities. */
@Entity('job_placement')
@Index('ix_job_placement_employer', ['employerId', 'startDate'])
export class JobPlacement {
  /** `${caseId}-p${round}`. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ name: 'case_id', type: 'uuid' })
  @Index('ix_job_placement_case')
  caseId: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @Column({ name: 'course_id', type: 'uuid', nullable: true })
  @Index('ix_job_placement_course')
  courseId: string | null;

  @Column({ name: 'org_path', type: 'varchar', length: 80 })
  orgPath: string;

  /** quota_employer, public_welfare, self_employment. */
  @Column({ type: 'varchar', length: 20 })
  channel: string;

  @Column({ name: 'employer_id', type: 'uuid', nullable: true })
  employerId: string | null;

  @Column({ name: 'position_id', type: 'uuid', nullable: true })
  positionId: string | null;

  /** Position title, public-welfare post or business name. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  detail: string | null;

  @Column({ name: 'start_date', type: 'date' })
  startDate: string;

  @Column({ name: 'end_date', type: 'date', nullable: true })
  endDate: string | null;

  @Column({ name: 'contract_months', type: 'int', nullable: true })
  contractMonths: number | null;

  @Column({ name: 'monthly_pay', type: 'numeric', precision: 10, scale: 2, nullable: true })
  monthlyPay: string | null;

  @Column({ name: 'social_insurance', type: 'boolean', nullable: true })
  socialInsurance: boolean | null;

  @Column({ name: 'business_licence', type: 'varchar', length: 40, nullable: true })
  businessLicence: string | null;

  @Column({ name: 'support_amount', type: 'numeric', precision: 10, scale: 2, nullable: true })
  supportAmount: string | null;

  @Column({ name: 'disability_grade', type: 'smallint', nullable: true })
  disabilityGrade: number | null;

  @Column({ name: 'counts_toward_quota', type: 'boolean', default: false })
  countsTowardQuota: boolean;

  /** 0 (not counted), 1, or 2 (grade 1–2 counts double). */
  @Column({ name: 'quota_weight', type: 'smallint', default: 0 })
  quotaWeight: number;

  /** Codes of the rules that stop it counting (contract_too_short, below_minimum_wage, …). */
  @Column({ name: 'quota_reasons', type: 'text', array: true, default: () => "'{}'" })
  quotaReasons: string[];

  /** active, ended (job lost), stable (12 months continuous). */
  @Column({ type: 'varchar', length: 12 })
  status: string;

  @Column({ name: 'end_reason', type: 'varchar', length: 500, nullable: true })
  endReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
