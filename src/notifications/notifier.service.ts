import { InjectQueue } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue, Worker, WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { CalendarSource } from '../../activities/calendar';
import type { NotificationJob } from '../../activities/notifications';
import { APP_CONFIG, AppConfig } from '../config/config';
import { bullOptions, CHANNEL_QUEUES, createRedis, DIGEST_QUEUE, NOTIFICATION_QUEUE } from '../queues/redis';
import { ChannelProcessor } from './channel-worker';
import { buildChannels, Channel } from './channels';
import { DeliveryStore } from './delivery-store';
import { DIGEST_CRON, DIGEST_SCHEDULER_ID, DIGEST_TZ, DigestService } from './digest';
import { NotificationRouter } from './router';
import { parseRateLimits } from './rules';
import { CHANNELS, ChannelJob, ChannelName, DigestTickJob } from './types';

/** Jobs of a killed process are picked up again within ~20 s (lock expiry + stalled check). */
const LOCKS: Partial<WorkerOptions> = { lockDuration: 15_000, stalledInterval: 5_000, maxStalledCount: 3 };
const CONCURRENCY: Record<ChannelName, number> = { in_app: 16, sms: 16, email: 4, wecom: 1, dingtalk: 1 };

/**
 * The notification side of the worker process: the router on the `notifications` queue, one
 * BullMQ Worker per channel queue (with that channel's rate limit), and the daily digest
 * scheduler. Closed on shutdown before the database (jobs in flight finish first).
 */
@Injectable()
export class NotifierService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('Notifier');
  private readonly workers: Worker[] = [];
  private channels?: Record<ChannelName, Channel>;
  private redis?: Redis;
  private stopped = false;
  router!: NotificationRouter;
  digest!: DigestService;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ds: DataSource,
    @InjectQueue(NOTIFICATION_QUEUE) private readonly notifications: Queue,
    @InjectQueue(CHANNEL_QUEUES.in_app) inApp: Queue,
    @InjectQueue(CHANNEL_QUEUES.email) email: Queue,
    @InjectQueue(CHANNEL_QUEUES.sms) sms: Queue,
    @InjectQueue(CHANNEL_QUEUES.wecom) wecom: Queue,
    @InjectQueue(CHANNEL_QUEUES.dingtalk) dingtalk: Queue,
    @InjectQueue(DIGEST_QUEUE) private readonly digestQueue: Queue,
  ) {
    this.channelQueues = { in_app: inApp, email, sms, wecom, dingtalk };
  }
  private readonly channelQueues: Record<ChannelName, Queue>;

  async onApplicationBootstrap(): Promise<void> {
    const c = this.config;
    const limits = parseRateLimits(c.NOTIFY_RATE_LIMITS);
    const bull = bullOptions(c);
    this.redis = createRedis(c.REDIS_URL);
    this.redis.on('error', () => undefined); // ioredis reconnects; BullMQ workers report outages
    this.channels = buildChannels(c, this.ds, this.redis);
    const store = new DeliveryStore(this.ds);
    const processors = Object.fromEntries(
      CHANNELS.map((name) => [
        name,
        new ChannelProcessor(this.channels![name], store, {
          quietStart: c.NOTIFY_QUIET_START,
          quietEnd: c.NOTIFY_QUIET_END,
          smsPerNumber: limits.smsPerNumber,
          redis: this.redis!,
        }),
      ]),
    ) as Record<ChannelName, ChannelProcessor>;
    this.router = new NotificationRouter(
      this.ds,
      this.channelQueues,
      {
        quietStart: c.NOTIFY_QUIET_START,
        quietEnd: c.NOTIFY_QUIET_END,
        publicUrl: c.PUBLIC_URL,
        attempts: c.NOTIFY_MAX_ATTEMPTS,
        backoffMs: c.NOTIFY_BACKOFF_MS,
      },
      processors.in_app,
    );
    this.digest = new DigestService(this.ds, new CalendarSource(this.ds), this.notifications, c.PUBLIC_URL);

    this.add(
      new Worker<NotificationJob>(NOTIFICATION_QUEUE, (job) => this.router.route(job.data, job), { ...bull, concurrency: 16, ...LOCKS }),
    );
    for (const name of CHANNELS) {
      const processor = processors[name];
      const limiter = limits[name];
      this.add(
        new Worker<ChannelJob>(CHANNEL_QUEUES[name], (job: Job<ChannelJob>, token?: string) => processor.process(job, token), {
          ...bull,
          concurrency: CONCURRENCY[name],
          ...(limiter ? { limiter: { max: limiter.max, duration: limiter.durationMs } } : {}),
          ...LOCKS,
        }),
      );
    }
    this.add(
      new Worker<DigestTickJob>(
        DIGEST_QUEUE,
        async (job) => {
          // The instant this tick was scheduled for (a late run still counts for its own day).
          const at = job.data?.at ? new Date(job.data.at) : new Date(job.timestamp + (job.opts.delay ?? 0));
          const r = await this.digest.tick(at);
          this.log.log(`daily digest ${r.date}: ${r.send ? `${r.enqueued} of ${r.staff} staff have items` : `not sent (${r.reason})`}`);
          return r;
        },
        { ...bull, concurrency: 1, ...LOCKS },
      ),
    );
    // The digest worker above still runs ticks added by hand (cli.js digest); only the schedule is optional.
    if (c.NOTIFY_DIGEST) await this.digestQueue.upsertJobScheduler(DIGEST_SCHEDULER_ID, { pattern: DIGEST_CRON, tz: DIGEST_TZ }, { name: 'digest-tick', data: {} });
    else await this.digestQueue.removeJobScheduler(DIGEST_SCHEDULER_ID);
    const on = Object.entries(this.channels).filter(([, ch]) => ch.enabled()).map(([n]) => n);
    this.log.log(`delivering notifications (channels: ${on.join(', ')}; digest ${c.NOTIFY_DIGEST ? `${DIGEST_CRON} ${DIGEST_TZ}` : 'not scheduled (NOTIFY_DIGEST=false)'})`);
  }

  private add(w: Worker): void {
    // Connection problems are retried by BullMQ; say so once per burst instead of crashing.
    let last = 0;
    w.on('error', (err) => {
      if (Date.now() - last > 10_000) this.log.warn(`queue ${w.name}: ${err.message}`);
      last = Date.now();
    });
    this.workers.push(w);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all(this.workers.map((w) => w.close().catch(() => undefined)));
    for (const ch of Object.values(this.channels ?? {})) await ch.close?.().catch(() => undefined);
    if (this.redis && this.redis.status !== 'end') await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}
