import IORedis, { Redis, RedisOptions } from 'ioredis';

/**
 * The one place Redis connections are made. BullMQ needs `maxRetriesPerRequest: null` for
 * its blocking workers; every connection made here is closed on shutdown by its owner.
 */
export function createRedis(url: string, opts: RedisOptions = {}): Redis {
  return new IORedis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    lazyConnect: false,
    connectionName: 'dpf-caseflow',
    // Keep retrying while Redis is down (BullMQ resumes when it is back); back off to 2 s.
    retryStrategy: (times) => Math.min(times * 100, 2000),
    ...opts,
  });
}

export const NOTIFICATION_QUEUE = 'notifications';

/**
 * Notification delivery (issue 6): the `notifications` queue receives one job per business key
 * and recipient from the case activity; the router fans each out to one queue per channel, so
 * every channel has its own rate limit, concurrency and retry policy. Daily digests are driven
 * by a job scheduler on their own queue.
 */
export const CHANNEL_QUEUES = {
  in_app: 'notify-in-app',
  email: 'notify-email',
  sms: 'notify-sms',
  wecom: 'notify-wecom',
  dingtalk: 'notify-dingtalk',
} as const;
export const DIGEST_QUEUE = 'notify-digest';

/** Connection options for BullMQ Queues/Workers made outside BullModule (same shape as its forRoot). */
export function bullConnection(url: string) {
  return { url, maxRetriesPerRequest: null, connectionName: 'dpf-caseflow' };
}

/**
 * Options for every BullMQ Queue and Worker made by hand: the connection and the key prefix
 * (QUEUE_PREFIX). BullModule.forRoot gets the same prefix, so injected queues and these agree.
 */
export function bullOptions(c: { REDIS_URL: string; QUEUE_PREFIX: string }) {
  return { connection: bullConnection(c.REDIS_URL), prefix: c.QUEUE_PREFIX };
}
