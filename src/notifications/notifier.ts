import 'reflect-metadata';
import { INestApplicationContext, Logger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '../config/config';
import { NotifierAppModule } from './notifications-worker.module';

/**
 * Stand-alone notifier: `node dist/src/notifications/notifier.js` delivers notifications only
 * (same configuration as the worker; Temporal is not used). It imports neither the api nor the
 * Temporal worker, so it stays small; the regular worker process runs the same module.
 */
const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

function stopOnSignals(ctx: INestApplicationContext): void {
  let closing = false;
  const log = new Logger('notifier');
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      log.warn(`${signal} again while stopping: exiting now`);
      process.exit(1);
    }
    closing = true;
    log.log(`${signal} received: stopping (jobs in flight finish first)`);
    ctx.close().then(
      () => process.exit(0),
      (err) => {
        log.error(`could not stop cleanly: ${err instanceof Error ? err.stack : err}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`[notifier] ${err.message}`);
      process.exit(78); // EX_CONFIG, as the api and the worker
    }
    throw err;
  }
  const ctx = await NestFactory.createApplicationContext(NotifierAppModule.forRoot(config), {
    logger: LEVELS.slice(0, LEVELS.indexOf(config.LOG_LEVEL) + 1),
  });
  stopOnSignals(ctx);
  await ctx.init();
  new Logger('notifier').log('notifier ready');
}

main().catch((err) => {
  console.error('[notifier] failed to start:', err instanceof Error ? err.stack : err);
  process.exit(1);
});
