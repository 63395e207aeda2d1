import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import type { NotificationJob } from '../../activities/notifications';
import { NOTIFICATION_QUEUE } from '../queues/redis';
import { render } from './templates';

/**
 * Delivers notification jobs. Today: the in-app channel (a row per user, unique by dedupe key,
 * so a job redelivered after a crash creates no second copy). SMS, e-mail and WeCom/DingTalk
 * adapters plug in here (issue 6).
 */
@Processor(NOTIFICATION_QUEUE, { concurrency: 8 })
export class NotificationProcessor extends WorkerHost {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async process(job: Job<NotificationJob>): Promise<{ delivered: boolean }> {
    const d = job.data;
    const users: { locale: string }[] = await this.ds.query(`SELECT locale FROM staff_user WHERE id = $1`, [d.userId]);
    if (!users[0]) return { delivered: false }; // user removed since the reminder was planned
    const { title, body } = render(d.type, d.vars, users[0].locale);
    const rows: unknown[] = await this.ds.query(
      `INSERT INTO notification (dedupe_key, user_id, type, title, body, case_id, task_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [d.key, d.userId, d.type, title, body, d.caseId, d.taskId ?? null],
    );
    return { delivered: rows.length > 0 };
  }
}
