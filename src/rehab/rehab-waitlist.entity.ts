import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A child waiting for a place at a full institution (one row per institution and case). Order:
 * priority (higher first), then `joined_at`. When another child's agreement ends, the first open
 * case waiting is signalled (`placeFreed`) and takes the place.
 */
@Entity('rehab_waitlist')
@Index('ux_rehab_waitlist_partner_case', ['partnerId', 'caseId'], { unique: true })
@Index('ix_rehab_waitlist_order', ['partnerId', 'status', 'priority', 'joinedAt'])
export class RehabWaitlist {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'partner_id', type: 'uuid' })
  partnerId: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @Column({ name: 'org_path', type: 'varchar', length: 80 })
  orgPath: string;

  @Column({ type: 'varchar', length: 16 })
  category: string;

  @Column({ type: 'int', default: 0 })
  priority: number;

  /** waiting | placed (got the place) | left (switched away, or the case closed). */
  @Column({ type: 'varchar', length: 12, default: 'waiting' })
  status: 'waiting' | 'placed' | 'left';

  @CreateDateColumn({ name: 'joined_at', type: 'timestamptz' })
  joinedAt: Date;

  @Column({ name: 'left_at', type: 'timestamptz', nullable: true })
  leftAt: Date | null;
}
