import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { configOrExit, exitOnSignals, createApi } from './bootstrap';

async function main() {
  const config = configOrExit('api');
  const app = await createApi(config);
  // SIGINT/SIGTERM: stop accepting connections, run shutdown hooks once, close DB/Redis/Temporal.
  exitOnSignals(app, 'api');
  await app.listen(config.PORT, config.HOST);
  const base = config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`;
  new Logger('api').log(`listening on ${base} (docs ${base}/api/docs)`);
}

main().catch((err) => {
  console.error('[api] failed to start:', err instanceof Error ? err.stack : err);
  process.exit(1);
});
