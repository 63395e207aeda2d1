/**
 * The platform's two built processes (dist/src/main.js, dist/src/worker.js) on real Temporal,
 * Postgres and Redis: readiness, health, API docs, config errors, clean shutdown on SIGTERM.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataSource } from '../../src/database/data-source';
import { schemaDiff } from '../../src/database/schema-diff';
import { requireServices } from '../setup/services';

const root = join(__dirname, '..', '..');
const svc = requireServices();

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as any).port;
      s.close(() => resolve(p));
    });
  });
}

interface Proc {
  child: ChildProcess;
  out: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}
function startProc(script: string, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [join(root, 'dist', 'src', script)], {
    cwd: root,
    env: { PATH: process.env.PATH!, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, out: () => out, exit };
}

async function until<T>(fn: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch {
      /* not yet */
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function baseEnv(port: number, extra: Record<string, string> = {}) {
  return {
    DATABASE_URL: svc.databaseUrl,
    REDIS_URL: svc.redisUrl,
    TEMPORAL_ADDRESS: svc.temporalAddress,
    JWT_SECRET: 'e2e-secret-e2e-secret-e2e-secret-e2e',
    PORT: String(port),
    TEMPORAL_TASK_QUEUE: `e2e-platform-${port}`,
    QUEUE_PREFIX: `bull-e2e-platform-${port}`,
    NOTIFY_DIGEST: 'false',
    LOG_LEVEL: 'log',
    ...extra,
  };
}

test('api and worker start, /ready reports every dependency, SIGTERM shuts both down cleanly once', async () => {
  const port = await freePort();
  const heartbeat = join(mkdtempSync(join(tmpdir(), 'dpf-hb-')), 'alive');
  const metricsPort = await freePort();
  const worker = startProc('worker.js', baseEnv(port, { WORKER_HEARTBEAT_FILE: heartbeat, TEMPORAL_METRICS_BIND: `127.0.0.1:${metricsPort}` }));
  const api = startProc('main.js', baseEnv(port));
  try {
    const ready = await until(async () => {
      const r = await fetch(`http://127.0.0.1:${port}/ready`);
      return r.status === 200 ? ((await r.json()) as any) : undefined;
    }, 60_000, '/ready');
    expect(ready.status).toBe('ok');
    expect(Object.keys(ready.checks).sort()).toEqual(['postgres', 'redis', 'temporal']);
    for (const c of Object.values<any>(ready.checks)) expect(c.ok).toBe(true);

    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const docs = await fetch(`http://127.0.0.1:${port}/api/docs-json`);
    const spec = (await docs.json()) as any;
    expect(spec.paths['/ready']).toBeDefined();

    // the worker is polling: its heartbeat file exists
    await until(async () => (readFileSync(heartbeat) ? true : undefined), 30_000, 'worker heartbeat');
    await until(async () => (worker.out().includes('polling task queue') ? true : undefined), 30_000, 'worker polling');
    // the SDK's metrics for Prometheus (the benchmark reads the workflow cache hit rate from them)
    const metrics = await until(async () => {
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      return /temporal_\w+\{/.test(text) ? text : undefined;
    }, 30_000, 'worker metrics');
    expect(metrics).toMatch(new RegExp(`temporal_num_pollers\\{[^}]*poller_type="sticky_workflow_task"[^}]*task_queue="e2e-platform-${port}"`));
  } finally {
    api.child.kill('SIGTERM');
    worker.child.kill('SIGTERM');
  }
  const [a, w] = await Promise.all([api.exit, worker.exit]);
  expect(a).toEqual({ code: 0, signal: null });
  expect(w).toEqual({ code: 0, signal: null });
  expect(worker.out().match(/worker stopped/g)).toHaveLength(1);
  expect(worker.out()).not.toMatch(/error/i);
});

test('/ready answers 503 naming what is down', async () => {
  const port = await freePort();
  const deadRedis = await freePort();
  const api = startProc('main.js', baseEnv(port, { REDIS_URL: `redis://127.0.0.1:${deadRedis}` }));
  try {
    const body = await until(async () => {
      const r = await fetch(`http://127.0.0.1:${port}/ready`);
      return r.status === 503 ? ((await r.json()) as any) : undefined;
    }, 60_000, '/ready 503');
    expect(body.down).toEqual(['redis']);
    expect(body.message).toBe('redis unavailable');
    expect(body.checks.postgres.ok).toBe(true);
    expect(body.checks.temporal.ok).toBe(true);
    expect(body.checks.redis.error).toBeTruthy();
  } finally {
    api.child.kill('SIGTERM');
  }
  expect((await api.exit).code).toBe(0);
});

test('a missing or malformed variable stops start-up with a message naming it', async () => {
  const env: Record<string, string> = baseEnv(await freePort(), { TEMPORAL_ADDRESS: 'not-an-address' });
  delete env.DATABASE_URL;
  const api = startProc('main.js', env);
  const { code } = await api.exit;
  expect(code).toBe(78);
  expect(api.out()).toMatch(/DATABASE_URL is required/);
  expect(api.out()).toMatch(/TEMPORAL_ADDRESS must be host:port/);
});

test('the committed migrations match the entities (migration:generate would write nothing)', async () => {
  const ds = createDataSource(svc.databaseUrl, 2);
  await ds.initialize();
  try {
    expect(await ds.showMigrations()).toBe(false); // nothing pending
    expect((await schemaDiff(ds)).up).toEqual([]);
  } finally {
    await ds.destroy();
  }
});
