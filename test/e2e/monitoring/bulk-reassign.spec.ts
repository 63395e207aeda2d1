/**
 * Bulk reassignment of a departed caseworker's tasks, with the worker as a separate process
 * (`node dist/src/worker.js`, exactly as production runs it) that is SIGKILLed mid-way and started
 * again: the operation resumes, finishes once, every task is reassigned exactly once (one
 * task_reassigned event each), and per-case failures come back with their reasons.
 *
 * Seeding: cases are started directly through the Temporal client (the api's registration checks are
 * not what is tested here) and each screening task is claimed by the departed caseworker.
 * BULK_TASKS (default 500) sets the size; the seeding time is printed.
 */
import type { INestApplication } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { hashPassword } from '../../../src/auth/passwords';
import { createApi } from '../../../src/bootstrap';
import { loadConfig } from '../../../src/config/config';
import { dataConverterFor } from '../../../src/temporal/payload-codec';
import { Actor, CaseView, caseViewQuery, caseWorkflowId, CATARACT_DEFAULTS, taskActionUpdate } from '../../../workflows/contracts';
import type { CataractCaseInput } from '../../../workflows/contracts';
import { createStaff, createTree, Tree } from '../../setup/fixtures';
import { TEST_PASSWORD } from '../../setup/harness';
import { requireServices } from '../../setup/services';

jest.setTimeout(600_000);

const N = Number(process.env.BULK_TASKS ?? 500);
const FAIL = 2; // cases whose workflow is terminated before the operation: reported as failures
const root = join(__dirname, '..', '..', '..');
const workerJs = process.env.MONITORING_WORKER_JS ?? join(root, 'dist', 'src', 'worker.js');
const svc = requireServices();
const taskQueue = `e2e-bulk-${Date.now()}`;
const log = (m: string) => process.stderr.write(`[bulk-reassign] ${m}\n`);

let api: INestApplication;
let ds: DataSource;
let base: string;
let temporal: Client;
let worker: ChildProcess | undefined;
let tree: Tree;

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, [workerJs], {
    cwd: root,
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      NODE_ENV: 'test',
      DATABASE_URL: svc.databaseUrl,
      REDIS_URL: svc.redisUrl,
      QUEUE_PREFIX: `bull-${taskQueue}`,
      NOTIFY_DIGEST: 'false',
      TEMPORAL_ADDRESS: svc.temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
      WORKFLOW_BUNDLE_PATH: process.env.WORKFLOW_BUNDLE_PATH!,
      JWT_SECRET: process.env.JWT_SECRET ?? 'test-only-secret-test-only-secret-0123456789',
      LOG_LEVEL: 'warn',
      WORKER_HEARTBEAT_FILE: `/tmp/dpf-hb-${taskQueue}`,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (d) => {
    const s = String(d);
    if (/error/i.test(s)) process.stderr.write(`[worker ${child.pid}] ${s}`);
  });
  return child;
}

async function stopWorker(signal: NodeJS.Signals) {
  const w = worker;
  worker = undefined;
  if (!w || w.exitCode !== null) return;
  const exited = new Promise((r) => w.once('exit', r));
  w.kill(signal);
  await exited;
}

async function signIn(role: string, unit: { code: string }) {
  const u = await createStaff(ds, { role, orgUnitCode: unit.code, passwordHash: await hashPassword(TEST_PASSWORD) });
  const r = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u.username, password: TEST_PASSWORD }) });
  const body: any = await r.json();
  if (r.status !== 200) throw new Error(`login failed: ${JSON.stringify(body)}`);
  const call = async (method: string, path: string, payload?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${body.accessToken}` },
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
    return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
  };
  return { ...u, get: (p: string) => call('GET', p), post: (p: string, b?: unknown) => call('POST', p, b ?? {}) };
}

async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<void>) {
  let i = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (i < items.length) await fn(items[i++]);
  }));
}

beforeAll(async () => {
  const config = loadConfig({
    DATABASE_URL: svc.databaseUrl,
    REDIS_URL: svc.redisUrl,
    QUEUE_PREFIX: `bull-${taskQueue}`,
    NOTIFY_DIGEST: 'false',
    TEMPORAL_ADDRESS: svc.temporalAddress,
    JWT_SECRET: process.env.JWT_SECRET ?? 'test-only-secret-test-only-secret-0123456789',
    TEMPORAL_TASK_QUEUE: taskQueue,
    WORKFLOW_BUNDLE_PATH: process.env.WORKFLOW_BUNDLE_PATH!,
    ...(process.env.PII_ENCRYPTION_KEY ? { PII_ENCRYPTION_KEY: process.env.PII_ENCRYPTION_KEY } : {}),
    PORT: '0',
    LOG_LEVEL: 'warn',
    LOGIN_RATE_PER_MINUTE: '100000',
  });
  api = await createApi(config, { logger: false }); // the api only: no in-process worker
  await api.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${api.getHttpServer().address().port}`;
  ds = api.get(DataSource);
  temporal = new Client({ connection: await Connection.connect({ address: svc.temporalAddress }), dataConverter: dataConverterFor(process.env.PII_ENCRYPTION_KEY) });
  tree = await createTree(ds);
  worker = startWorker();
});

afterAll(async () => {
  await stopWorker('SIGTERM');
  await temporal?.connection.close();
  await api?.close();
});

test(`bulk reassignment of ${N} tasks completes once although the worker is killed mid-way`, async () => {
  const departed = await signIn('township_officer', tree.townshipA);
  const successor = await signIn('township_officer', tree.townshipA);
  const manager = await signIn('manager', tree.county);
  const departedActor: Actor = { id: departed.id, name: departed.name, role: 'township_officer', orgPath: tree.townshipA.path, partnerId: null };

  // ---- seed N open tasks held by the departed caseworker
  const t0 = Date.now();
  const cases: { caseId: string; taskId: string }[] = [];
  await pool(Array.from({ length: N }, (_, i) => i), 32, async (i) => {
    const caseId = randomUUID();
    const input: CataractCaseInput = {
      caseId,
      caseNo: `BULK-${i}-${caseId.slice(0, 6)}`,
      personId: randomUUID(),
      orgUnitCode: tree.villageA1.code,
      orgPath: tree.villageA1.path,
      campaign: { id: randomUUID(), name: '批量测试', registrationEnd: '2020-01-01', screeningStart: '2020-01-01' },
      settings: CATARACT_DEFAULTS,
      openedBy: { id: departed.id, name: departed.name, role: 'township_officer' },
      priority: 0,
    };
    const h = await temporal.workflow.start('cataractCaseWorkflow', { args: [input], taskQueue, workflowId: caseWorkflowId(caseId) });
    // The screening task is the case's second sequence number; claim it as soon as it exists.
    const taskId = `${caseId}-t2`;
    for (let k = 0; ; k++) {
      try {
        await h.executeUpdate(taskActionUpdate, { args: [{ taskId, action: 'claim', actor: departedActor }] });
        break;
      } catch (err: any) {
        if (err?.cause?.type !== 'TASK_NOT_FOUND' || k > 600) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    cases.push({ caseId, taskId });
  });
  const seedSeconds = (Date.now() - t0) / 1000;
  log(`seeded ${N} cases with a claimed task in ${seedSeconds.toFixed(1)} s (${(N / seedSeconds).toFixed(1)} cases/s)`);
  const [held] = await ds.query(`SELECT count(*)::int AS n FROM task WHERE assignee_user_id = $1 AND status = 'open'`, [departed.id]);
  expect(held.n).toBe(N);

  // two cases end before the operation (their workflows are terminated): failures with a reason
  const failing = cases.slice(0, FAIL);
  for (const c of failing) await temporal.workflow.getHandle(caseWorkflowId(c.caseId)).terminate('test: the case ended elsewhere');

  // ---- start the operation; kill the worker once part of it is done; start it again
  const started = await manager.post('/monitoring/bulk-reassign', { fromUserId: departed.id, toUserId: successor.id, reason: '人员离岗' });
  expect(started.status).toBe(202);
  const opId = started.body.operationId;
  const t1 = Date.now();
  let p: any;
  for (;;) {
    p = (await manager.get(`/monitoring/operations/${opId}`)).body;
    if (p.processed >= Math.floor(N * 0.3)) break;
    if (Date.now() - t1 > 300_000) throw new Error(`no progress: ${JSON.stringify(p)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  log(`killing the worker at ${p.processed}/${p.total} processed (${((Date.now() - t1) / 1000).toFixed(1)} s)`);
  await stopWorker('SIGKILL');
  const atKill = p.processed;
  await new Promise((r) => setTimeout(r, 2000));
  worker = startWorker();
  const t2 = Date.now();
  for (;;) {
    p = (await manager.get(`/monitoring/operations/${opId}`)).body;
    if (p.status === 'completed') break;
    if (Date.now() - t2 > 400_000) throw new Error(`did not finish: ${JSON.stringify({ ...p, failures: p.failures?.length })}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  log(`finished ${((Date.now() - t2) / 1000).toFixed(1)} s after the restart (${((Date.now() - t1) / 1000).toFixed(1)} s in all, ${p.runs} workflow runs)`);

  // ---- exactly once
  expect(atKill).toBeLessThan(N);
  expect(p).toMatchObject({ status: 'completed', total: N, processed: N, reassigned: N - FAIL, skipped: 0, failed: FAIL });
  if (N > 250) expect(p.runs).toBeGreaterThanOrEqual(2); // continued as new on the way (250 tasks per run)
  expect(p.failures.map((f: any) => f.taskId).sort()).toEqual(failing.map((c) => c.taskId).sort());
  expect(p.failures.every((f: any) => f.code === 'CASE_WORKFLOW_CLOSED' && /terminated/.test(f.reason))).toBe(true);
  const ok = cases.slice(FAIL);
  const [moved] = await ds.query(`SELECT count(*)::int AS n FROM task WHERE id = ANY($1) AND assignee_user_id = $2 AND status = 'open'`, [ok.map((c) => c.taskId), successor.id]);
  expect(moved.n).toBe(N - FAIL);
  const events: { task_id: string; n: number }[] = await ds.query(
    `SELECT task_id, count(*)::int AS n FROM case_event WHERE type = 'task_reassigned' AND task_id = ANY($1) GROUP BY task_id`,
    [cases.map((c) => c.taskId)],
  );
  expect(events.length).toBe(N - FAIL);
  expect(events.filter((e) => e.n !== 1)).toEqual([]);
  const [ev] = await ds.query(`SELECT actor_id, reason, data FROM case_event WHERE type = 'task_reassigned' AND task_id = $1`, [ok[0].taskId]);
  expect(ev).toMatchObject({ actor_id: manager.id, reason: '人员离岗', data: { to: { id: successor.id } } });
  // the case workflows agree with the read model
  for (const c of ok.slice(0, 5)) {
    const v: CaseView = await temporal.workflow.getHandle(caseWorkflowId(c.caseId)).query(caseViewQuery);
    expect(v.openTasks[0].assigneeUserId).toBe(successor.id);
  }
  // running it again finds nothing left to move
  const again = await manager.post('/monitoring/bulk-reassign', { fromUserId: departed.id, toUserId: successor.id });
  let q: any;
  for (let k = 0; k < 100; k++) {
    q = (await manager.get(`/monitoring/operations/${again.body.operationId}`)).body;
    if (q.status === 'completed') break;
    await new Promise((r) => setTimeout(r, 300));
  }
  expect(q).toMatchObject({ status: 'completed', total: FAIL, reassigned: 0, failed: FAIL }); // only the two ended cases still show them
  const listed = (await manager.get('/monitoring/operations')).body.items.find((o: any) => o.operationId === opId);
  expect(listed).toMatchObject({ kind: 'bulk_reassign', status: 'completed', total: N, processed: N, failed: FAIL });
  // scope: another township's manager cannot see the operation
  const outsider = await signIn('manager', tree.townshipB);
  expect((await outsider.get(`/monitoring/operations/${opId}`)).status).toBe(404);
  expect((await outsider.get('/monitoring/operations')).body.items).toEqual([]);
  expect((await outsider.post('/monitoring/bulk-reassign', { fromUserId: departed.id, toUserId: successor.id })).status).toBe(404);

  for (const c of ok) await temporal.workflow.getHandle(caseWorkflowId(c.caseId)).terminate('test done').catch(() => undefined);
});
