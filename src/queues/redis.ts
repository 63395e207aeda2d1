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
