import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * Read model of one case. The truth of where a case is lives in its Temporal workflow;
 * this row is projected from it (idempotently, by `projectedSeq`) for lists and scope checks.
 */
@Entity('case_file')
@Index('ix_case_org_path', { synchronize: false }) // varchar_pattern_ops index, created in the migration
@Index('ix_case_status_opened', ['status', 'openedAt'])
export class CaseFile {
  /** Also the workflow id suffix: workflow id = `case-${id}` (no personal data in ids). */
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** Human-readable number shown to staff, e.g. BNZ-2026-000042. */
  @Column({ name: 'case_no', type: 'varchar', length: 32 })
  @Index('ux_case_no', { unique: true })
  caseNo: string;

  @Column({ type: 'varchar', length: 32 })
  programme: string;

  @Column({ name: 'person_id', type: 'uuid' })
  @Index('ix_case_person')
  personId: string;

  @Column({ name: 'org_unit_code', type: 'varchar', length: 12 })
  orgUnitCode: string;

  @Column({ name: 'org_path', type: 'varchar', length: 80 })
  orgPath: string;

  @Column({ type: 'varchar', length: 12, default: 'open' })
  status: 'open' | 'closed';

  /** Current step id from the programme's step table (e.g. 'screening', 'county_approval'). */
  @Column({ type: 'varchar', length: 40 })
  step: string;

  /** What the case waits on: staff | partner | resident | timer | none. */
  @Column({ name: 'waiting_on', type: 'varchar', length: 16, default: 'staff' })
  waitingOn: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  outcome: string | null;

  @Column({ name: 'workflow_id', type: 'varchar', length: 80 })
  workflowId: string;

  @Column({ name: 'rule_version', type: 'varchar', length: 40 })
  ruleVersion: string;

  @Column({ name: 'partner_id', type: 'uuid', nullable: true })
  partnerId: string | null;

  @Column({ name: 'campaign_id', type: 'uuid', nullable: true })
  campaignId: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  /** Programme-specific facts projected from the workflow (screening results, surgery, acuity…). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  data: Record<string, unknown>;

  /** Highest workflow event sequence projected into this row; older projections are ignored. */
  @Column({ name: 'projected_seq', type: 'int', default: 0 })
  projectedSeq: number;

  /** Row-only changes (step, data, no event) projected since projected_seq last rose; orders them. */
  @Column({ name: 'row_version', type: 'int', default: 0 })
  rowVersion: number;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
