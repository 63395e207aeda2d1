import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const ROLES = [
  'village_caseworker', // 村专职委员
  'township_officer', // 乡镇残联
  'county_officer', // 县残联
  'civil_affairs_officer', // 民政
  'manager', // 监管 / 负责人
  'partner_staff', // 合作机构工作人员 (hospital, rehab, training, supplier, employer)
  'admin', // 系统管理员
] as const;
export type Role = (typeof ROLES)[number];

/** A staff account, bound to one org unit (and, for partner staff, one partner). */
@Entity('staff_user')
export class StaffUser {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 64 })
  @Index('ux_staff_user_username', { unique: true })
  username: string;

  @Column({ name: 'display_name', type: 'varchar', length: 64 })
  displayName: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash: string;

  @Column({ type: 'varchar', length: 32 })
  role: Role;

  @Column({ name: 'org_unit_code', type: 'varchar', length: 12 })
  @Index('ix_staff_user_org')
  orgUnitCode: string;

  @Column({ name: 'partner_id', type: 'uuid', nullable: true })
  partnerId: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  phone: string | null;

  @Column({ type: 'varchar', length: 120, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 8, default: 'zh-CN' })
  locale: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** Consecutive failed sign-ins; 5 lock the account for 30 minutes. */
  @Column({ name: 'failed_logins', type: 'int', default: 0 })
  failedLogins: number;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  /** TOTP secret (base32), set once the user has confirmed a first code. */
  @Column({ name: 'totp_secret', type: 'varchar', length: 64, nullable: true })
  totpSecret: string | null;

  @Column({ name: 'totp_pending_secret', type: 'varchar', length: 64, nullable: true })
  totpPendingSecret: string | null;

  @Column({ name: 'password_changed_at', type: 'timestamptz', nullable: true })
  passwordChangedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
