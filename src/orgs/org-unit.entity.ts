import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export const ORG_LEVELS = ['city', 'county', 'township', 'village'] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];

/**
 * One node of the federation tree: city → county → township → village.
 * `code` is the official-style division code (city 6 digits, county 6, township 9, village 12).
 * `path` is the materialised path of codes ("/360100/360121/360121100/"), so
 * "everything under this county" is one indexed prefix query: path LIKE '/360100/360121/%'.
 */
@Entity('org_unit')
@Index('ix_org_unit_path', { synchronize: false }) // varchar_pattern_ops index, created in the migration
export class OrgUnit {
  @PrimaryColumn({ type: 'varchar', length: 12 })
  code: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'name_en', type: 'varchar', length: 100, nullable: true })
  nameEn: string | null;

  @Column({ type: 'varchar', length: 10 })
  level: OrgLevel;

  @Column({ name: 'parent_code', type: 'varchar', length: 12, nullable: true })
  @Index('ix_org_unit_parent')
  parentCode: string | null;

  @Column({ type: 'varchar', length: 80 })
  path: string;

  /** false: deactivated by an admin; kept for history, nothing new (persons, staff, partners, cases, sub-units) goes there. */
  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
