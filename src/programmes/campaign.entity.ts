import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A screening campaign (e.g. 光明行 spring round) of one county, with its registration window. */
@Entity('campaign')
@Index('ix_campaign_window', ['programme', 'orgUnitCode', 'registrationStart'])
export class Campaign {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 32 })
  programme: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'org_unit_code', type: 'varchar', length: 12 })
  orgUnitCode: string;

  @Column({ name: 'registration_start', type: 'date' })
  registrationStart: string;

  @Column({ name: 'registration_end', type: 'date' })
  registrationEnd: string;

  /** Day screening starts in the villages (late registrants wait for the next campaign). */
  @Column({ name: 'screening_start', type: 'date' })
  screeningStart: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
