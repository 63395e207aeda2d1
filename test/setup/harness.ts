/**
 * An in-process platform for HTTP end-to-end tests: the real api (createApi) and the real worker
 * (createWorker: Temporal Worker + BullMQ processors) on the real services started by the test
 * command, each suite on its own task queue so suites never pick up each other's workflows.
 */
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { hashPassword } from '../../src/auth/passwords';
import { httpJson } from '../../src/common/http-json';
import { createApi, createWorker } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import { bullOptions } from '../../src/queues/redis';
import { createStaff } from './fixtures';
import { requireServices } from './services';

export const TEST_PASSWORD = 'Passw0rd!2026';
let hashed: string | undefined;

export interface Harness {
  base: string;
  api: INestApplication;
  worker: INestApplicationContext;
  ds: DataSource;
  taskQueue: string;
  /** This suite's BullMQ key prefix: its notification queues are its own, not shared with other suites. */
  queuePrefix: string;
  /** A BullMQ Queue of this suite's (closed by close()), for tests that add or inspect jobs. */
  queue(name: string): Queue;
  close(): Promise<void>;
  /** Creates a staff account with TEST_PASSWORD and returns a signed-in client for it. */
  user(role: string, orgUnitCode: string, partnerId?: string): Promise<Client>;
  client(token?: string): Client;
}

export interface Client {
  token?: string;
  userId?: string;
  get(path: string): Promise<Res>;
  post(path: string, body?: unknown): Promise<Res>;
  put(path: string, body?: unknown): Promise<Res>;
  delete(path: string): Promise<Res>;
}
export interface Res {
  status: number;
  body: any;
}

export async function startHarness(name: string, extraEnv: Record<string, string> = {}): Promise<Harness> {
  const svc = requireServices();
  const taskQueue = `e2e-${name}-${Date.now()}`;
  // Suites run one after another on one Redis; a job left in a queue by one suite (a digest tick,
  // a retry) must never be delivered by the next suite's worker into its mail or SMS sink.
  const queuePrefix = `bull-${taskQueue}`;
  const config = loadConfig({
    DATABASE_URL: svc.databaseUrl,
    REDIS_URL: svc.redisUrl,
    TEMPORAL_ADDRESS: svc.temporalAddress,
    JWT_SECRET: process.env.JWT_SECRET ?? 'test-only-secret-test-only-secret-0123456789',
    TEMPORAL_TASK_QUEUE: taskQueue,
    QUEUE_PREFIX: queuePrefix,
    // No 08:30 digest in a suite's sinks when a run crosses 08:30 Shanghai time (the digest suite turns it on).
    NOTIFY_DIGEST: 'false',
    WORKFLOW_BUNDLE_PATH: process.env.WORKFLOW_BUNDLE_PATH!,
    ...(process.env.PII_ENCRYPTION_KEY ? { PII_ENCRYPTION_KEY: process.env.PII_ENCRYPTION_KEY } : {}),
    PORT: '0',
    LOG_LEVEL: 'warn',
    WORKER_HEARTBEAT_FILE: `/tmp/dpf-hb-${taskQueue}`,
    // every suite signs in many users from 127.0.0.1; the security suite sets its own limit
    LOGIN_RATE_PER_MINUTE: '100000',
    ...extraEnv,
  });
  const worker = await createWorker(config, { logger: false });
  await worker.init();
  const api = await createApi(config, { logger: false });
  await api.listen(0, '127.0.0.1');
  const addr = api.getHttpServer().address();
  const base = `http://127.0.0.1:${addr.port}`;
  const ds = api.get(DataSource);

  const client = (token?: string): Client => {
    const call = (method: string, path: string, body?: unknown): Promise<Res> => httpJson(base, method, path, { token, body });
    return {
      token,
      get: (p) => call('GET', p),
      post: (p, b) => call('POST', p, b ?? {}),
      put: (p, b) => call('PUT', p, b ?? {}),
      delete: (p) => call('DELETE', p),
    };
  };

  const queues: Queue[] = [];
  return {
    base,
    api,
    worker,
    ds,
    taskQueue,
    queuePrefix,
    queue(qname) {
      const q = new Queue(qname, bullOptions(config));
      queues.push(q);
      return q;
    },
    client,
    async user(role, orgUnitCode, partnerId) {
      hashed ??= await hashPassword(TEST_PASSWORD);
      const u = await createStaff(ds, { role, orgUnitCode, partnerId, passwordHash: hashed });
      const r = await client().post('/auth/login', { username: u.username, password: TEST_PASSWORD });
      if (r.status !== 200) throw new Error(`login failed: ${JSON.stringify(r.body)}`);
      return { ...client(r.body.accessToken), userId: u.id };
    },
    async close() {
      await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
      await api.close();
      await worker.close();
    },
  };
}
