/**
 * The router: one job from the `notifications` queue (a message for one recipient) becomes one
 * ledger row and one job per channel the recipient gets it on (preferences; SMS for residents).
 * Idempotent: the ledger is unique per (job key, channel) and the channel job id is the ledger
 * id, so a router job run twice (crash, stalled lock) enqueues nothing new.
 */
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { NotificationJob, recipientOf } from '../../activities/notifications';
import type { ChannelProcessor } from './channel-worker';
import { Batcher } from './batcher';
import { DeliveryStore, NewDelivery } from './delivery-store';
import { channelsFor, Preferences } from './preferences';
import { nextAllowedTime } from './rules';
import type { ChannelJob, ChannelName } from './types';

export interface RouterOptions {
  quietStart: string;
  quietEnd: string;
  publicUrl?: string;
  /** Retry policy of channel jobs. */
  attempts: number;
  backoffMs: number;
  now?: () => Date;
}

/** BullMQ job id of a ledger row's channel job (one per admin retry generation). */
export function channelJobId(deliveryId: string, retries: number): string {
  return retries ? `d|${deliveryId}|r${retries}` : `d|${deliveryId}`;
}

export function channelJobOptions(o: Pick<RouterOptions, 'attempts' | 'backoffMs'>) {
  return {
    attempts: o.attempts,
    backoff: { type: 'exponential' as const, delay: o.backoffMs },
    removeOnComplete: { count: 5000 },
    removeOnFail: { age: 7 * 86_400, count: 20_000 },
  };
}

/** What the router needs of its BullMQ job to deliver in-app inline (attempt accounting). */
export interface InlineJob {
  attemptsMade: number;
  opts: { attempts?: number };
}

interface Lookup {
  channels: Preferences | null;
  case_no: string | null;
  person_name: string | null;
}

export class NotificationRouter {
  private readonly store: DeliveryStore;
  constructor(
    private readonly ds: DataSource,
    private readonly queues: Record<ChannelName, Queue>,
    private readonly opts: RouterOptions,
    /** Delivers in-app inline (see route); without it, in-app goes through its queue like the others. */
    private readonly inApp?: ChannelProcessor,
  ) {
    this.store = new DeliveryStore(ds);
  }

  /** The recipient's preferences and the case's number and resident, for many jobs in one statement. */
  private readonly lookups = new Batcher<{ userId: string | null; caseId: string | null }, Lookup>(async (items) => {
    const rows: (Lookup & { i: string })[] = await this.ds.query(
      `SELECT x.i, pr.channels, c.case_no, p.name AS person_name
       FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS x(user_id, case_id, i)
       LEFT JOIN notification_preference pr ON pr.user_id = x.user_id
       LEFT JOIN case_file c ON c.id = x.case_id
       LEFT JOIN person p ON p.id = c.person_id`,
      [items.map((r) => r.userId), items.map((r) => r.caseId)],
    );
    const byIndex = new Map(rows.map((r) => [Number(r.i), r]));
    return items.map((_, i) => byIndex.get(i + 1) ?? { channels: null, case_no: null, person_name: null });
  });

  async route(d: NotificationJob, job?: InlineJob): Promise<{ deliveries: number; enqueued: number }> {
    const rcpt = recipientOf(d);
    const info = await this.lookups.push({ userId: rcpt.kind === 'staff' ? rcpt.id : null, caseId: d.caseId ?? null });
    const channels: ChannelName[] = channelsFor(d.type, rcpt.kind === 'person' ? null : info?.channels);

    const vars: Record<string, unknown> = { ...d.vars };
    if (d.caseId) {
      if (info?.case_no) vars.caseNo ??= info.case_no;
      if (info?.person_name) vars.personName ??= info.person_name;
      vars.link ??= `${this.opts.publicUrl ?? ''}/app/cases/${d.caseId}`;
    }

    const now = this.opts.now?.() ?? new Date();
    const rows: NewDelivery[] = channels.map((channel) => {
      // Quiet hours hold SMS to residents until the end of the window (default 08:00 Shanghai).
      const held = channel === 'sms' && rcpt.kind === 'person' ? nextAllowedTime(now, this.opts.quietStart, this.opts.quietEnd) : now;
      return {
        jobKey: d.key,
        channel,
        type: d.type,
        recipientKind: rcpt.kind,
        recipientId: rcpt.id,
        caseId: d.caseId ?? null,
        taskId: d.taskId ?? null,
        vars,
        notBefore: held.getTime() > now.getTime() ? held : null,
      };
    });
    const stored = await this.store.upsert(rows);
    let enqueued = 0;
    const byChannel = new Map<ChannelName, { name: string; data: ChannelJob; opts: Record<string, unknown> }[]>();
    let inline: string | null = null;
    for (const s of stored) {
      if (s.status !== 'queued' && s.status !== 'failed' && s.status !== 'sending') continue; // sent, skipped or dead
      if (s.channel === 'in_app' && this.inApp && job) {
        inline = s.id;
        continue;
      }
      if (s.status === 'sending') continue; // in flight on its channel queue
      const delay = s.notBefore ? Math.max(0, new Date(s.notBefore).getTime() - now.getTime()) : 0;
      const list = byChannel.get(s.channel) ?? [];
      list.push({
        name: d.type,
        data: { deliveryId: s.id },
        opts: { jobId: channelJobId(s.id, s.retries), ...channelJobOptions(this.opts), ...(delay ? { delay } : {}) },
      });
      byChannel.set(s.channel, list);
    }
    for (const [channel, jobs] of byChannel) {
      await this.queues[channel].addBulk(jobs as any);
      enqueued += jobs.length;
    }
    // In-app is a row in our own database: no rate limit, nothing to wait for, so the router writes
    // it itself (same pipeline: claim, checks, attempt log) instead of queueing it. A failure fails
    // this job, whose retry finds the ledger rows and re-enqueues nothing already queued.
    if (inline) await this.inApp!.process({ data: { deliveryId: inline }, attemptsMade: job!.attemptsMade, opts: { attempts: job!.opts.attempts } } as any);
    return { deliveries: stored.length, enqueued };
  }
}
