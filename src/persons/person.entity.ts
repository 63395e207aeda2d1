import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const HARDSHIP_FLAGS = ['dibao', 'tekun', 'jiandang', 'low_income', 'near_dibao'] as const;
export type HardshipFlag = (typeof HARDSHIP_FLAGS)[number];

/**
 * A resident served by the federation. Resident ID and certificate are validated before insert and
 * stored encrypted (AES-256-GCM, src/security/pii-crypto.ts) under the key `piiKeyId`; the blind
 * index (keyed HMAC of the resident ID) makes them unique and findable without decrypting. Sex,
 * birth date and hukou are kept in their own columns, so nothing needs to decrypt in SQL.
 */
@Entity('person')
@Index('ix_person_org_path', { synchronize: false }) // varchar_pattern_ops index, created in the migration
@Index('ix_person_residence_org_path', { synchronize: false }) // partial varchar_pattern_ops index, created in the migration
export class Person {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'resident_id_enc', type: 'bytea' })
  residentIdEnc: Buffer;

  /** HMAC-SHA256 of the resident ID under a key derived from the row's PII key. */
  @Column({ name: 'resident_id_bidx', type: 'bytea' })
  @Index('ux_person_resident_id_bidx', { unique: true })
  residentIdBidx: Buffer;

  /** Id of the PII_ENCRYPTION_KEY entry that encrypted this row (and computed its blind index). */
  @Column({ name: 'pii_key_id', type: 'varchar', length: 16 })
  @Index('ix_person_pii_key_id')
  piiKeyId: string;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'char', length: 1 })
  sex: 'M' | 'F';

  @Column({ name: 'birth_date', type: 'date' })
  birthDate: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  phone: string | null;

  /** Org unit of hukou (a village); its path is copied for scope queries. */
  @Column({ name: 'hukou_org_code', type: 'varchar', length: 12 })
  hukouOrgCode: string;

  @Column({ name: 'org_path', type: 'varchar', length: 80 })
  orgPath: string;

  /** Org unit of residence (a village, e.g. where a residence permit was issued), if not the hukou one; path copied likewise. */
  @Column({ name: 'residence_org_code', type: 'varchar', length: 12, nullable: true })
  residenceOrgCode: string | null;

  @Column({ name: 'residence_org_path', type: 'varchar', length: 80, nullable: true })
  residenceOrgPath: string | null;

  @Column({ name: 'disability_cert_no_enc', type: 'bytea', nullable: true })
  disabilityCertNoEnc: Buffer | null;

  @Column({ name: 'disability_category', type: 'smallint', nullable: true })
  disabilityCategory: number | null;

  @Column({ name: 'disability_grade', type: 'smallint', nullable: true })
  disabilityGrade: number | null;

  @Column({ name: 'cert_reissue', type: 'smallint', default: 0 })
  certReissue: number;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  hardship: HardshipFlag[];

  @Column({ name: 'guardian_name', type: 'varchar', length: 64, nullable: true })
  guardianName: string | null;

  @Column({ name: 'guardian_relation', type: 'varchar', length: 32, nullable: true })
  guardianRelation: string | null;

  @Column({ name: 'guardian_phone', type: 'varchar', length: 20, nullable: true })
  guardianPhone: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
