import { Injectable, Logger } from '@nestjs/common';
import { RedisHealthClient } from '../queues/queues.module';

/**
 * Fixed-window counters in Redis, shared by every api replica. If Redis is down the limiter fails
 * open (sign-in still works; the per-account lockout in Postgres keeps protecting accounts).
 */
@Injectable()
export class RateLimiter {
  private readonly log = new Logger('rate-limit');
  constructor(private readonly redis: RedisHealthClient) {}

  /** Counts a hit; returns true while the key stays within `limit` per `windowSec`. */
  async hit(key: string, limit: number, windowSec = 60): Promise<boolean> {
    try {
      const k = `rl:${key}:${Math.floor(Date.now() / 1000 / windowSec)}`;
      const n = await this.redis.redis.incr(k);
      if (n === 1) await this.redis.redis.expire(k, windowSec + 1);
      return n <= limit;
    } catch (err) {
      this.log.warn(`rate limiter unavailable (${err instanceof Error ? err.message : err}); allowing`);
      return true;
    }
  }
}
