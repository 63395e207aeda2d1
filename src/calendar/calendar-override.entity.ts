import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * Admin-entered official holidays and make-up workdays (调休). They override the
 * bundled dataset, so next year's State Council notice can be entered the day it is published.
 */
@Entity('calendar_override')
export class CalendarOverride {
  @PrimaryColumn({ type: 'date' })
  date: string;

  @Column({ type: 'varchar', length: 8 })
  kind: 'holiday' | 'workday';

  @Column({ type: 'varchar', length: 40, nullable: true })
  name: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** A year whose official schedule an admin has entered completely (authoritative over the dataset). */
@Entity('calendar_year')
export class CalendarYear {
  @PrimaryColumn({ type: 'int' })
  year: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  source: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
