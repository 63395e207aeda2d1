import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const PARTNER_KINDS = ['hospital', 'rehab_institution', 'training_institution', 'supplier', 'employer'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

/** A designated institution the federation refers people to (dynamic entry and exit: active / suspended). */
@Entity('partner')
export class Partner {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ type: 'varchar', length: 24 })
  kind: PartnerKind;

  /** Org unit whose federation holds the agreement (usually a county). */
  @Column({ name: 'org_unit_code', type: 'varchar', length: 12 })
  @Index('ix_partner_org')
  orgUnitCode: string;

  /** Service codes offered, e.g. cataract_screening, cataract_surgery. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  services: string[];

  /** Places available at once (e.g. surgeries per campaign); null = unlimited. */
  @Column({ type: 'int', nullable: true })
  capacity: number | null;

  @Column({ name: 'agreement_start', type: 'date' })
  agreementStart: string;

  @Column({ name: 'agreement_end', type: 'date' })
  agreementEnd: string;

  @Column({ type: 'varchar', length: 12, default: 'active' })
  status: 'active' | 'suspended';

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
