import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type TaskKind = 'approval' | 'record' | 'followup';
export type TaskStatus = 'open' | 'completed' | 'cancelled';

/**
 * Read model of a human task (an approval, a record to fill in, or a follow-up visit),
 * projected by the case workflow. Inbox = open tasks assigned to me, plus unclaimed
 * tasks for my role whose org unit is in my scope.
 */
@Entity('task')
@Index('ix_task_inbox', ['assigneeRole', 'status', 'dueAt', 'id'])
@Index('ix_task_assignee', ['assigneeUserId', 'status', 'dueAt', 'id'])
@Index('ix_task_case', ['caseId'])
@Index('ix_task_org_path', { synchronize: false }) // varchar_pattern_ops index, created in the migration
@Index('ix_task_partner', ['partnerId', 'status'])
export class Task {
  /** `${caseId}-t${seq}`: unique per workflow, stable across activity retries, safe in URLs. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId: string;

  @Column({ type: 'varchar', length: 32 })
  programme: string;

  @Column({ type: 'varchar', length: 40 })
  step: string;

  @Column({ type: 'varchar', length: 12 })
  kind: TaskKind;

  @Column({ type: 'varchar', length: 12, default: 'open' })
  status: TaskStatus;

  @Column({ name: 'assignee_role', type: 'varchar', length: 32 })
  assigneeRole: string;

  /** Org unit the task sits at (resolved by routing rules from the case's org unit). */
  @Column({ name: 'org_unit_code', type: 'varchar', length: 12 })
  orgUnitCode: string;

  @Column({ name: 'org_path', type: 'varchar', length: 80 })
  orgPath: string;

  /** Partner staff tasks are scoped to a partner (hospital) rather than an org unit. */
  @Column({ name: 'partner_id', type: 'uuid', nullable: true })
  partnerId: string | null;

  /** Set when claimed or reassigned to a named person. */
  @Column({ name: 'assignee_user_id', type: 'uuid', nullable: true })
  assigneeUserId: string | null;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt: Date;

  @Column({ name: 'due_date', type: 'date' })
  dueDate: string;

  @Column({ type: 'boolean', default: false })
  overdue: boolean;

  @Column({ name: 'reminded_at', type: 'timestamptz', nullable: true })
  remindedAt: Date | null;

  @Column({ name: 'escalated_at', type: 'timestamptz', nullable: true })
  escalatedAt: Date | null;

  @Column({ type: 'varchar', length: 24, nullable: true })
  decision: string | null;

  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy: string | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /**
   * When the task's time limit started, if not at created_at: the first task of a case registered
   * with an earlier receipt date (受理日期). Null = created_at. Monitoring reads coalesce(clock_start_at, created_at).
   */
  @Column({ name: 'clock_start_at', type: 'timestamptz', nullable: true })
  clockStartAt: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  /** Highest workflow sequence applied to this row (projections are idempotent and ordered). */
  @Column({ name: 'projected_seq', type: 'int', default: 0 })
  projectedSeq: number;
}
