import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { configOrExit, exitOnSignals, createWorker } from './bootstrap';

async function main() {
  const config = configOrExit('worker');
  const ctx = await createWorker(config);
  // On SIGINT/SIGTERM Nest calls beforeApplicationShutdown once: the Temporal worker drains,
  // BullMQ workers finish their current job, then every connection closes.
  exitOnSignals(ctx, 'worker');
  await ctx.init();
  new Logger('worker').log('worker ready');
}

main().catch((err) => {
  console.error('[worker] failed to start:', err instanceof Error ? err.stack : err);
  process.exit(1);
});
