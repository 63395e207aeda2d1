import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A child's service agreement with a designated rehabilitation institution for one service year
 * (one row per stay: a switch ends one and starts another; a renewal ends the year's and starts
 * the next). Active agreements hold the institution's places (capacity). Written only by the
 * child-rehab activities, idempotently by `agreement_key`; read by the waitlist and report endpoints.
 */
@Entity('rehab_agreement')
@Index('ix_rehab_agreement_partner', ['partnerId', 'status'])
@Index('ix_rehab_agreement_year', ['year'])
export class RehabAgreement {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** `${caseId}:${year}:a${n}` or `${caseId}:${year}:renewal`, from the workflow. */
  @Column({ name: 'agreement_key', type: 'varchar', length: 80 })
  @Index('ux_rehab_agreement_key', { unique: true })
  agreementKey: string;

  @Column({ name: 'case_id', type: 'uuid' })
  @Index('ix_rehab_agreement_case')
  caseId: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @Column({ name: 'partner_id', type: 'uuid' })
  partnerId: string;

  /** The child's org path (for scope and per-county reports). */
  @Column({ name: 'org_path', type: 'varchar', length: 80 })
  orgPath: string;

  @Column({ type: 'varchar', length: 16 })
  category: string;

  @Column({ type: 'int' })
  year: number;

  @Column({ type: 'varchar', length: 12, default: 'active' })
  status: 'active' | 'ended';

  /** The institution is outside the child's county: the family pays and claims back at the home rate. */
  @Column({ name: 'out_of_area', type: 'boolean', default: false })
  outOfArea: boolean;

  /** Training months completed in this stay. */
  @Column({ type: 'int', default: 0 })
  months: number;

  /** End-of-period assessment: effective or not (null: not assessed, e.g. the child switched). */
  @Column({ type: 'boolean', nullable: true })
  effective: boolean | null;

  @CreateDateColumn({ name: 'started_at', type: 'timestamptz' })
  startedAt: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @Column({ name: 'end_reason', type: 'varchar', length: 40, nullable: true })
  endReason: string | null;
}
