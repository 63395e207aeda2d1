import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A settled amount: a bill approved by the county and recorded for payment to the institution, or
 * an out-of-area reimbursement to the family. Written by the case workflows (activity
 * `recordPayment`), idempotently by `payment_key`; summed by the reports.
 */
@Entity('payment')
@Index('ix_payment_programme_year', ['programme', 'year'])
@Index('ix_payment_case', ['caseId'])
export class Payment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'payment_key', type: 'varchar', length: 120 })
  @Index('ux_payment_key', { unique: true })
  paymentKey: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId: string;

  @Column({ type: 'varchar', length: 32 })
  programme: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @Column({ name: 'org_path', type: 'varchar', length: 80 })
  orgPath: string;

  /** The institution served (also for a family's reimbursement). */
  @Column({ name: 'partner_id', type: 'uuid', nullable: true })
  partnerId: string | null;

  @Column({ name: 'payee_kind', type: 'varchar', length: 12 })
  payeeKind: 'institution' | 'family';

  /** What is paid for, e.g. training, hearing_aid, cochlear_implant. */
  @Column({ type: 'varchar', length: 24 })
  item: string;

  @Column({ type: 'numeric', precision: 12, scale: 2 })
  amount: string;

  /** Service year the amount belongs to. */
  @Column({ type: 'int' })
  year: number;

  @Column({ name: 'approved_by', type: 'uuid', nullable: true })
  approvedBy: string | null;

  /** Invoice or receipt number. */
  @Column({ type: 'varchar', length: 80, nullable: true })
  reference: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
