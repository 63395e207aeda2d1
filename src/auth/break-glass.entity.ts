import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Break-glass access: a user opens a case outside their scope with a written reason. The grant
 * lasts a few hours (BREAK_GLASS_HOURS), is audited, and is listed for managers.
 */
@Entity('break_glass_grant')
@Index('ix_break_glass_user_case', ['userId', 'caseId', 'expiresAt'])
export class BreakGlassGrant {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId: string;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
