import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The case timeline: one row per transition (who, when, what, reason, rule version).
 * Appended from workflow activities, which run at least once, so (case_id, seq) is unique
 * and inserts use ON CONFLICT DO NOTHING.
 */
@Entity('case_event')
@Index('ux_case_event_seq', ['caseId', 'seq'], { unique: true })
export class CaseEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId: string;

  /** Sequence assigned by the workflow (deterministic, so a retried activity hits the same key). */
  @Column({ type: 'int' })
  seq: number;

  @Column({ type: 'varchar', length: 48 })
  type: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  step: string | null;

  @Column({ name: 'task_id', type: 'varchar', length: 64, nullable: true })
  taskId: string | null;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_name', type: 'varchar', length: 64, nullable: true })
  actorName: string | null;

  @Column({ name: 'actor_role', type: 'varchar', length: 32, nullable: true })
  actorRole: string | null;

  @Column({ type: 'varchar', length: 24, nullable: true })
  decision: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'rule_version', type: 'varchar', length: 40 })
  ruleVersion: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data: Record<string, unknown>;

  @Column({ type: 'timestamptz' })
  at: Date;
}
