import { BullModule } from '@nestjs/bullmq';
import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/config';
import { bullOptions, CHANNEL_QUEUES, createRedis, DIGEST_QUEUE, NOTIFICATION_QUEUE } from './redis';

/** A plain Redis client for health checks and small reads; BullMQ manages its own connections. */
@Injectable()
export class RedisHealthClient implements OnApplicationShutdown {
  readonly redis: Redis;
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // Fail fast for health checks instead of queueing commands while Redis is down.
    this.redis = createRedis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
    this.redis.on('error', () => undefined); // reported through /ready, not as unhandled errors
    this.redis.connect().catch(() => undefined);
  }
  async ping(): Promise<void> {
    const res = await this.redis.ping();
    if (res !== 'PONG') throw new Error(`unexpected PING reply ${res}`);
  }
  async onApplicationShutdown(): Promise<void> {
    if (this.redis.status !== 'end') this.redis.disconnect();
  }
}

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...bullOptions(config),
        defaultJobOptions: { attempts: 8, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: false },
      }),
    }),
    BullModule.registerQueue({ name: NOTIFICATION_QUEUE }),
    // One queue per delivery channel and one for the daily digest (issue 6).
    ...Object.values(CHANNEL_QUEUES).map((name) => BullModule.registerQueue({ name })),
    BullModule.registerQueue({ name: DIGEST_QUEUE }),
  ],
  providers: [RedisHealthClient],
  exports: [BullModule, RedisHealthClient],
})
export class QueuesModule {}
