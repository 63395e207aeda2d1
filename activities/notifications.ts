import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import type { DeliveryType, RecipientKind } from '../src/notifications/types';
import type { NotificationRequest, NotificationTarget } from './types';

/** A job on the `notifications` queue: one message (business key) for one recipient. */
export interface NotificationJob {
  /** Business key + recipient, e.g. `remind:<taskId>:0:<userId>`; unique per message. */
  key: string;
  /** Staff recipient (absent for a resident). */
  userId?: string;
  /** Resident recipient (visit reminders by SMS). */
  personId?: string;
  type: DeliveryType;
  caseId?: string | null;
  taskId?: string;
  vars: Record<string, unknown>;
}

export function recipientOf(job: Pick<NotificationJob, 'userId' | 'personId'>): { kind: RecipientKind; id: string } {
  if (job.personId) return { kind: 'person', id: job.personId };
  return { kind: 'staff', id: job.userId! };
}

/** BullMQ job ids may not contain ':' (its key separator). */
export function jobIdOf(key: string): string {
  return key.replace(/:/g, '|');
}

/** Staff ids a target means: a named user, everyone with a role at an org unit / partner, or managers over a path. */
async function resolve(ds: DataSource, t: NotificationTarget): Promise<string[]> {
  if (t.userId) return [t.userId];
  if (t.managersOver) {
    const rows: { id: string }[] = await ds.query(
      `SELECT s.id FROM staff_user s JOIN org_unit o ON o.code = s.org_unit_code
       WHERE s.active AND s.role = 'manager' AND $1 LIKE o.path || '%'`,
      [t.managersOver],
    );
    return rows.map((r) => r.id);
  }
  if (t.partnerId) {
    const rows: { id: string }[] = await ds.query(
      `SELECT id FROM staff_user WHERE active AND role = 'partner_staff' AND partner_id = $1`,
      [t.partnerId],
    );
    return rows.map((r) => r.id);
  }
  const rows: { id: string }[] = await ds.query(
    `SELECT id FROM staff_user WHERE active AND role = $1 AND org_unit_code = $2`,
    [t.role, t.orgUnitCode],
  );
  return rows.map((r) => r.id);
}

/**
 * A reminder about a follow-up visit (a `task_due_soon` on a task of kind `followup`) is shown
 * to staff as "follow-up visit due" and also becomes a visit reminder to the resident (SMS,
 * only with recorded consent; checked when it is sent). Reads the task and case read models,
 * which the workflow projects before it enqueues, so a retried activity derives the same jobs.
 */
async function followUpOf(ds: DataSource, r: NotificationRequest): Promise<{ personId: string } | null> {
  if (r.type !== 'task_due_soon' || !r.taskId) return null;
  const rows: { kind: string; person_id: string }[] = await ds.query(
    `SELECT t.kind, c.person_id FROM task t JOIN case_file c ON c.id = t.case_id WHERE t.id = $1`,
    [r.taskId],
  );
  return rows[0]?.kind === 'followup' ? { personId: rows[0].person_id } : null;
}

/**
 * Enqueues one job per recipient. The BullMQ jobId is the business key + recipient, so an
 * activity retried after a crash adds nothing twice; the delivery ledger (unique per key and
 * channel) then makes each channel deliver at most once per key, whatever Redis remembers.
 */
export async function enqueueNotifications(ds: DataSource, queue: Queue, reqs: NotificationRequest[]): Promise<number> {
  const jobs: { name: string; data: NotificationJob; opts: { jobId: string } }[] = [];
  const add = (data: NotificationJob) => jobs.push({ name: data.type, data, opts: { jobId: jobIdOf(data.key) } });
  for (const r of reqs) {
    const followUp = await followUpOf(ds, r);
    const type: DeliveryType = followUp ? 'followup_due' : r.type;
    const users = new Set<string>();
    for (const t of r.targets) for (const id of await resolve(ds, t)) users.add(id);
    for (const userId of users) {
      add({ key: `${r.key}:${userId}`, userId, type, caseId: r.caseId, taskId: r.taskId, vars: r.vars });
    }
    // Only the workflow's scheduled reminder (`remind:…`) reaches the resident, not a manager's nudge.
    if (followUp && r.key.startsWith('remind:')) {
      add({ key: `${r.key}:p:${followUp.personId}`, personId: followUp.personId, type: 'visit_reminder', caseId: r.caseId, taskId: r.taskId, vars: r.vars });
    }
  }
  if (jobs.length) await queue.addBulk(jobs);
  return jobs.length;
}
