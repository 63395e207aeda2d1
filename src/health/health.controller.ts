import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth-user';
import { RedisHealthClient } from '../queues/queues.module';
import { TemporalClientHolder } from '../temporal/temporal-client.module';

type Check = { ok: boolean; ms: number; error?: string };

async function timed(fn: () => Promise<unknown>, timeoutMs = 2000): Promise<Check> {
  const t0 = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, ms: Date.now() - t0 };
  } catch (err) {
    return { ok: false, ms: Date.now() - t0, error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly ds: DataSource,
    private readonly redis: RedisHealthClient,
    private readonly temporal: TemporalClientHolder,
  ) {}

  @Get('health')
  @ApiOperation({ summary: 'Liveness: the process is up (does not touch dependencies)' })
  health() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: Temporal, Postgres and Redis each reported; 503 names what is down' })
  async ready(@Res() res: Response) {
    const [postgres, redis, temporal] = await Promise.all([
      timed(() => this.ds.query('SELECT 1')),
      timed(() => this.redis.ping()),
      timed(() => this.temporal.ping()),
    ]);
    const checks = { postgres, redis, temporal };
    const down = Object.entries(checks).filter(([, c]) => !c.ok).map(([k]) => k);
    res.status(down.length ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK).json({
      status: down.length ? 'unavailable' : 'ok',
      down,
      message: down.length ? `${down.join(', ')} unavailable` : undefined,
      checks,
    });
  }
}
