/** Container healthcheck for the worker (no HTTP port): its heartbeat file was touched recently. */
import { statSync } from 'node:fs';

const file = process.env.WORKER_HEARTBEAT_FILE ?? '/tmp/dpf-worker-alive';
try {
  const age = Date.now() - statSync(file).mtimeMs;
  process.exit(age < 60_000 ? 0 : 1);
} catch {
  process.exit(1);
}
