/**
 * Shared shapes of the notification pipeline (issue 6):
 *
 *   case workflow ──enqueueNotifications──▶ `notifications` queue (one job per key + recipient)
 *      └─ router (worker): recipient, preferences, consent ─▶ one ledger row per channel
 *            (notification_delivery, unique (job_key, channel)) + one job on that channel's queue
 *               └─ channel worker: state check, quiet hours, per-number limit, send, and one
 *                  notification_attempt row per attempt; after the last retry the delivery is
 *                  `dead` (dead-letter list, retry from the admin API).
 */
import type { NotificationType } from '../../activities/types';

export const CHANNELS = ['in_app', 'email', 'sms', 'wecom', 'dingtalk'] as const;
export type ChannelName = (typeof CHANNELS)[number];

/**
 * Everything a message can be about: the workflow's types plus the two the notifier derives
 * itself (the resident's visit reminder, derived from a follow-up reminder, and the digest).
 */
export type DeliveryType = NotificationType | 'visit_reminder' | 'daily_digest';
export const DELIVERY_TYPES: DeliveryType[] = [
  'task_assigned',
  'task_due_soon',
  'task_overdue',
  'task_escalated',
  'followup_due',
  'case_decided',
  'visit_reminder',
  'daily_digest',
];

/** Types about an open task: skipped (outcome `skipped-closed`) once the task is no longer open. */
export const TASK_REMINDER_TYPES: ReadonlySet<string> = new Set([
  'task_due_soon',
  'task_overdue',
  'task_escalated',
  'followup_due',
  'visit_reminder',
]);

export type RecipientKind = 'staff' | 'person';

/** Ledger status of one (job key, channel). `dead` = the dead-letter list. */
export type DeliveryStatus = 'queued' | 'sending' | 'failed' | 'sent' | 'skipped' | 'dead';

/** Outcome of one attempt, as logged in notification_attempt. */
export type AttemptOutcome =
  | 'delivered'
  | 'failed'
  | 'dead'
  | 'interrupted'
  | 'in-doubt'
  | 'skipped-closed'
  | 'skipped-no-address'
  | 'skipped-no-consent'
  | 'skipped-not-configured'
  | 'deferred-quiet-hours'
  | 'deferred-rate-limit';

/** Job on a channel queue: the ledger row to deliver (the row holds everything else). */
export interface ChannelJob {
  deliveryId: string;
}

/** Job on the digest queue: a scheduler tick (`at` overrides the scheduled instant in tests). */
export interface DigestTickJob {
  at?: string;
}
