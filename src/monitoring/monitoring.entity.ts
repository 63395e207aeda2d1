import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { CaseFile } from '../cases/case.entity';
import { Task } from '../tasks/task.entity';

/**
 * One row per calendar day of a window of years (Chinese working-day calendar: bundled dataset +
 * admin overrides), with `n` = running count of working days up to and including the day, so the
 * number of working days in (a, b] is n(b) − n(a) in plain SQL. Refilled idempotently by
 * WorkdayService at api start and whenever the admin calendar tables change.
 */
@Entity('workday')
export class Workday {
  @PrimaryColumn({ type: 'date' })
  date: string;

  @Column({ name: 'is_working', type: 'boolean' })
  isWorking: boolean;

  @Column({ type: 'int' })
  n: number;
}

/** A tracked bulk operation (e.g. reassigning a departed caseworker's tasks); the workflow reports into it. */
@Entity('monitoring_operation')
@Index('ix_monitoring_operation_scope', { synchronize: false }) // varchar_pattern_ops index, created in the migration
export class MonitoringOperation {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ type: 'varchar', length: 16, default: 'running' })
  status: string;

  @Column({ name: 'requested_by', type: 'uuid' })
  requestedBy: string;

  /** Org path of the requester: who else may see the operation (scope prefix). */
  @Column({ name: 'org_path', type: 'varchar', length: 80 })
  orgPath: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  params: Record<string, unknown>;

  @Column({ name: 'workflow_id', type: 'varchar', length: 80 })
  workflowId: string;

  @Column({ type: 'int', default: 0 })
  total: number;

  @Column({ type: 'int', default: 0 })
  processed: number;

  @Column({ type: 'int', default: 0 })
  failed: number;

  /** Last progress the workflow recorded (the live figure comes from its Query). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  progress: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}

/**
 * Indexes the monitoring and report queries need on read-model tables owned by other modules
 * (partial and expression indexes, created in migration 1795460000000-Monitoring). Declared here,
 * applied to those entities at load time with `synchronize: false`, so the schema check knows them
 * and the owning entity files stay untouched.
 *  - ix_task_open_due:      open tasks by due date (overdue list, keyset pages)
 *  - ix_task_open_created:  open tasks by age (no progress, partners not acknowledging, oldest ten)
 *  - ix_task_step_completed: completed tasks by programme, step, completion (bottlenecks, yearly report)
 *  - ix_task_completed:     completed tasks by completion time (bottlenecks over all steps of a period)
 *  - ix_case_programme_opened: cases by programme and opening (yearly report)
 *  - ix_task_open_clock:   open tasks whose time limit started at a receipt date (migration 1795493000000)
 *  - ix_task_open_since:   open tasks by when their clock started (no progress, partners; migration 1795503000000)
 */
export const READ_MODEL_INDEXES = {
  task: ['ix_task_open_due', 'ix_task_open_created', 'ix_task_step_completed', 'ix_task_completed', 'ix_task_open_clock', 'ix_task_open_since'],
  case_file: ['ix_case_programme_opened'],
} as const;
for (const name of READ_MODEL_INDEXES.task) Index(name, { synchronize: false })(Task);
for (const name of READ_MODEL_INDEXES.case_file) Index(name, { synchronize: false })(CaseFile);
