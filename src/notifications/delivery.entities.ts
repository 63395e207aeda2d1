import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * The delivery ledger: one row per message (job key = business key + recipient) and channel.
 * Unique (job_key, channel), so a channel delivers a message at most once whatever BullMQ
 * redelivers; `status = 'dead'` rows are the dead-letter list admins retry from.
 */
@Entity('notification_delivery')
@Index('ux_notification_delivery_key', ['jobKey', 'channel'], { unique: true })
@Index('ix_notification_delivery_case', ['caseId', 'createdAt'])
@Index('ix_notification_delivery_status', ['status', 'updatedAt'])
export class NotificationDelivery {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'job_key', type: 'varchar', length: 200 })
  jobKey: string;

  @Column({ type: 'varchar', length: 16 })
  channel: string;

  @Column({ type: 'varchar', length: 32 })
  type: string;

  /** 'staff' (staff_user) or 'person' (a resident). */
  @Column({ name: 'recipient_kind', type: 'varchar', length: 8 })
  recipientKind: string;

  @Column({ name: 'recipient_id', type: 'uuid' })
  recipientId: string;

  /** The address last used, masked (138****5678, z***@x.cn); never the full number. */
  @Column({ type: 'varchar', length: 120, nullable: true })
  address: string | null;

  @Column({ name: 'case_id', type: 'uuid', nullable: true })
  caseId: string | null;

  @Column({ name: 'task_id', type: 'varchar', length: 64, nullable: true })
  taskId: string | null;

  /** Template variables (case number, step, due date, resident name…). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  vars: Record<string, unknown>;

  @Column({ type: 'varchar', length: 16, default: 'queued' })
  status: string;

  /** Attempts made so far (also numbers the attempt log). */
  @Column({ type: 'int', default: 0 })
  attempts: number;

  /** Times an admin re-queued it from the dead-letter list. */
  @Column({ type: 'int', default: 0 })
  retries: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  /** Earliest send time when held back (quiet hours, per-number limit). */
  @Column({ name: 'not_before', type: 'timestamptz', nullable: true })
  notBefore: Date | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** Every delivery attempt and its outcome (shown per case under GET /cases/:id/deliveries). */
@Entity('notification_attempt')
@Index('ix_notification_attempt_delivery', ['deliveryId', 'attemptNo'])
@Index('ix_notification_attempt_case', ['caseId', 'at'])
export class NotificationAttempt {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'delivery_id', type: 'uuid', nullable: true })
  deliveryId: string | null;

  @Column({ name: 'job_key', type: 'varchar', length: 200 })
  jobKey: string;

  @Column({ type: 'varchar', length: 16 })
  channel: string;

  /** 'staff:<uuid>' or 'person:<uuid>'. */
  @Column({ type: 'varchar', length: 48 })
  recipient: string;

  @Column({ name: 'case_id', type: 'uuid', nullable: true })
  caseId: string | null;

  @Column({ name: 'attempt_no', type: 'int' })
  attemptNo: number;

  @Column({ type: 'varchar', length: 24 })
  outcome: string;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;
}

/** A staff member's channels per notification type ({ "task_escalated": ["sms", "wecom"] }); in-app is always on. */
@Entity('notification_preference')
export class NotificationPreference {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  channels: Record<string, string[]>;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** One daily digest per staff member and day (the primary key makes it exactly once). */
@Entity('notification_digest')
export class NotificationDigest {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @PrimaryColumn({ type: 'date' })
  date: string;

  /** Tasks listed (due today + overdue + newly assigned); 0 = nothing to send. */
  @Column({ type: 'int', default: 0 })
  items: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/**
 * A resident's recorded consent to receive SMS (no SMS to a resident without it). Kept apart
 * from `person` so the consent record (who recorded it, when, withdrawn) has its own history.
 */
@Entity('person_sms_consent')
export class PersonSmsConsent {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId: string;

  @Column({ type: 'boolean', default: false })
  consent: boolean;

  /** When consent was given (null after withdrawal). */
  @Column({ name: 'consent_at', type: 'timestamptz', nullable: true })
  consentAt: Date | null;

  @Column({ name: 'recorded_by', type: 'uuid', nullable: true })
  recordedBy: string | null;

  /** How it was obtained, e.g. "signed form 2026-03-02". */
  @Column({ type: 'varchar', length: 200, nullable: true })
  note: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
