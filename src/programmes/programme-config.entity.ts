import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Programme settings per jurisdiction (time limits, reminder offsets, amounts, follow-up schedule),
 * versioned by effective date. A case starts with the version in force for its org unit on that
 * day and keeps it to the end (the version id travels in the workflow input).
 */
@Entity('programme_config')
@Index('ux_programme_config', ['programme', 'orgUnitCode', 'effectiveFrom'], { unique: true })
export class ProgrammeConfig {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 32 })
  programme: string;

  /** Jurisdiction (province/city/county code); the most specific ancestor of a case's org unit wins. */
  @Column({ name: 'org_unit_code', type: 'varchar', length: 12 })
  orgUnitCode: string;

  @Column({ name: 'effective_from', type: 'date' })
  effectiveFrom: string;

  /** e.g. "cataract@360121@2026-01-01". */
  @Column({ type: 'varchar', length: 60 })
  version: string;

  @Column({ type: 'jsonb' })
  settings: Record<string, unknown>;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
