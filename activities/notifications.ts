import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import type { NotificationRequest, NotificationTarget } from './types';

export interface NotificationJob {
  key: string;
  userId: string;
  type: NotificationRequest['type'];
  caseId: string;
  taskId?: string;
  vars: Record<string, string | number>;
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
 * Enqueues one delivery job per recipient. The BullMQ jobId is the business key + recipient,
 * so an activity retried after a crash adds nothing twice (and the processor's unique
 * dedupe_key makes delivery itself exactly-once for the in-app channel).
 */
export async function enqueueNotifications(ds: DataSource, queue: Queue, reqs: NotificationRequest[]): Promise<number> {
  const jobs: { name: string; data: NotificationJob; opts: { jobId: string } }[] = [];
  for (const r of reqs) {
    const users = new Set<string>();
    for (const t of r.targets) for (const id of await resolve(ds, t)) users.add(id);
    for (const userId of users) {
      const key = `${r.key}:${userId}`;
      jobs.push({ name: r.type, data: { key, userId, type: r.type, caseId: r.caseId, taskId: r.taskId, vars: r.vars }, opts: { jobId: key.replace(/:/g, '|') } });
    }
  }
  if (jobs.length) await queue.addBulk(jobs);
  return jobs.length;
}
