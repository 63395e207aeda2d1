/**
 * A private platform for fault-injection suites: its own Postgres, Redis and Temporal dev server
 * (scripts/lib/stack.mjs in 'dev' mode: Temporal's sqlite file, the Postgres cluster and Redis' AOF
 * persist in a temp dir, so a service can be stopped and restarted on its data without touching
 * the services the rest of the suite shares), plus the built api and worker (dist/src/main.js,
 * dist/src/worker.js) as real child processes that can be SIGKILLed and restarted.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { hashPassword } from '../../src/auth/passwords';
import { httpJson } from '../../src/common/http-json';
import { createDataSource } from '../../src/database/data-source';
import { dataConverterFor } from '../../src/temporal/payload-codec';
import type { Actor } from '../../workflows/contracts';
import { createCampaign, createHospital, createPerson, createStaff, createTree, shanghaiDay, Tree } from '../setup/fixtures';

export const root = join(__dirname, '..', '..');
const JWT_SECRET = 'fault-secret-fault-secret-fault-secret-0123';
const PASSWORD = 'Passw0rd!2026';
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type ServiceName = 'postgres' | 'redis' | 'temporal';
interface Stack {
  env: { DATABASE_URL: string; REDIS_URL: string; TEMPORAL_ADDRESS: string; TEMPORAL_NAMESPACE: string };
  stop(): Promise<void>;
  stopService(name: ServiceName): Promise<void>;
  startService(name: ServiceName): Promise<void>;
}

export interface Proc {
  name: string;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  logFile: string;
}

export interface Res {
  status: number;
  body: any;
}
export interface User {
  id: string;
  name: string;
  role: string;
  orgPath: string;
  partnerId: string | null;
  token: string;
  actor: Actor;
  get(path: string): Promise<Res>;
  post(path: string, body?: unknown): Promise<Res>;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as any).port;
      s.close(() => resolve(p));
    });
  });
}

export async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 60_000, every = 200): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      if ((e as any)?.fatal) throw e;
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await sleep(every);
  }
}

export const tail = (file: string, n = 40) => {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '(no log)';
  }
};

/**
 * The read model of a case is whole: every sequence number 1..projected_seq is used exactly once,
 * by a timeline event or a task id (tasks take a number from the same counter), and no event
 * number appears twice. Returns a list of problems (empty = whole).
 */
export async function timelineProblems(ds: DataSource, caseId: string): Promise<string[]> {
  const problems: string[] = [];
  const c = (await ds.query(`SELECT projected_seq FROM case_file WHERE id = $1`, [caseId]))[0];
  const ev: { seq: number; n: string }[] = await ds.query(`SELECT seq, count(*) AS n FROM case_event WHERE case_id = $1 GROUP BY seq ORDER BY seq`, [caseId]);
  for (const e of ev) if (Number(e.n) !== 1) problems.push(`event seq ${e.seq} stored ${e.n} times`);
  const tasks: { id: string }[] = await ds.query(`SELECT id FROM task WHERE case_id = $1`, [caseId]);
  const used = [...ev.map((e) => Number(e.seq)), ...tasks.map((t) => Number(t.id.split('-t').pop()))].sort((a, b) => a - b);
  const max = Number(c.projected_seq);
  const expected = Array.from({ length: max }, (_, i) => i + 1);
  if (JSON.stringify(used) !== JSON.stringify(expected)) {
    const missing = expected.filter((s) => !used.includes(s));
    const dup = used.filter((s, i) => used.indexOf(s) !== i);
    problems.push(`sequence not whole: projected_seq ${max}, missing [${missing}], duplicated [${dup}], beyond [${used.filter((s) => s > max)}]`);
  }
  return problems;
}

export class FaultStack {
  stack!: Stack;
  dataDir!: string;
  ds!: DataSource;
  temporal!: TemporalClient;
  private temporalConn?: Connection;
  api?: Proc;
  worker?: Proc;
  apiPort = 0;
  taskQueue: string;
  readonly stackLog: string[] = [];
  // fixtures
  tree!: Tree;
  hospital!: string;
  users: Record<'villager' | 'township' | 'county' | 'doctor' | 'manager', User> = {} as any;

  constructor(readonly name: string) {
    this.taskQueue = `fault-${name}`;
  }

  get base() {
    return `http://127.0.0.1:${this.apiPort}`;
  }

  /** Starts the private services, migrates, starts worker + api, creates an org tree and users. */
  async start(): Promise<void> {
    this.dataDir = mkdtempSync(join(tmpdir(), `dpf-fault-${this.name}-`));
    chmodSync(this.dataDir, 0o755); // the `postgres` user must enter it (we run as root)
    const { startStack } = await import('../../scripts/lib/stack.mjs' as string);
    const env = { ...process.env };
    for (const k of ['DATABASE_URL', 'REDIS_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_UI_URL']) delete env[k];
    this.stack = await startStack({
      root, dataDir: this.dataDir, mode: 'dev', env, handleSignals: false, ephemeralPorts: true,
      log: (m: string) => this.stackLog.push(`${new Date().toISOString()} ${m}`),
    });
    const mig = spawnSync(process.execPath, [join(root, 'dist', 'src', 'database', 'cli.js'), 'migrate'], {
      cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH!, DATABASE_URL: this.stack.env.DATABASE_URL }, timeout: 120_000,
    });
    if (mig.status !== 0) throw new Error(`migrate failed: ${mig.stdout}${mig.stderr}`);
    this.ds = createDataSource(this.stack.env.DATABASE_URL, 4);
    await this.ds.initialize();
    this.temporalConn = await Connection.connect({ address: this.stack.env.TEMPORAL_ADDRESS });
    this.temporal = new TemporalClient({ connection: this.temporalConn, namespace: this.stack.env.TEMPORAL_NAMESPACE, dataConverter: dataConverterFor(process.env.PII_ENCRYPTION_KEY) });
    this.apiPort = await freePort();
    await Promise.all([this.startWorker(), this.startApi()]);
    await this.fixtures();
  }

  private procEnv(): Record<string, string> {
    return {
      PATH: process.env.PATH!,
      NODE_ENV: 'test',
      DATABASE_URL: this.stack.env.DATABASE_URL,
      REDIS_URL: this.stack.env.REDIS_URL,
      TEMPORAL_ADDRESS: this.stack.env.TEMPORAL_ADDRESS,
      TEMPORAL_NAMESPACE: this.stack.env.TEMPORAL_NAMESPACE,
      TEMPORAL_TASK_QUEUE: this.taskQueue,
      NOTIFY_DIGEST: 'false', // no 08:30 digest among the notifications these tests count
      JWT_SECRET,
      // Resident IDs are stored encrypted: the api must hold the key the fixtures (this process) encrypt with.
      ...(process.env.PII_ENCRYPTION_KEY ? { PII_ENCRYPTION_KEY: process.env.PII_ENCRYPTION_KEY } : {}),
      HOST: '127.0.0.1',
      PORT: String(this.apiPort),
      LOG_LEVEL: 'log',
      WORKER_HEARTBEAT_FILE: join(this.dataDir, 'worker-alive'),
      // The bundle the suite built from workflows/ (global setup); else the one `npm run build` made.
      WORKFLOW_BUNDLE_PATH: process.env.WORKFLOW_BUNDLE_PATH ?? join(root, 'dist', 'workflow-bundle.js'),
    };
  }

  private spawnProc(name: string, script: string): Proc {
    const logFile = join(this.dataDir, 'logs', `${name}.log`);
    const fd = openSync(logFile, 'a');
    const child = spawn(process.execPath, [join(root, 'dist', 'src', script)], { cwd: root, env: this.procEnv(), stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    return { name, child, exited, logFile };
  }

  async startWorker(): Promise<Proc> {
    const before = tail(join(this.dataDir, 'logs', 'worker.log'), 100000).split('\n').filter((l) => l.includes('polling task queue')).length;
    const w = (this.worker = this.spawnProc('worker', 'worker.js'));
    await until('worker polling', async () => {
      if (w.child.exitCode !== null) throw Object.assign(new Error('worker exited during start-up'), { fatal: true });
      return tail(w.logFile, 100000).split('\n').filter((l) => l.includes('polling task queue')).length > before;
    }, 60_000).catch((e) => {
      throw new Error(`${e.message}\n${tail(w.logFile)}`);
    });
    return w;
  }

  async startApi(): Promise<Proc> {
    const a = (this.api = this.spawnProc('api', 'main.js'));
    await until('api /health', async () => {
      if (a.child.exitCode !== null) throw Object.assign(new Error('api exited during start-up'), { fatal: true });
      return (await fetch(`${this.base}/health`)).status === 200;
    }, 60_000).catch((e) => {
      throw new Error(`${e.message}\n${tail(a.logFile)}`);
    });
    return a;
  }

  /** SIGKILL: no drain, no shutdown hooks; in-flight activities and workflow tasks are lost. */
  async killWorker(): Promise<void> {
    const w = this.worker;
    if (!w || w.child.exitCode !== null) return;
    w.child.kill('SIGKILL');
    await w.exited;
  }

  private async stopProc(p?: Proc) {
    if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
    p.child.kill('SIGTERM');
    const t = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
    await p.exited;
    clearTimeout(t);
  }

  async close(): Promise<void> {
    await Promise.all([this.stopProc(this.api), this.stopProc(this.worker)]);
    await this.ds?.destroy().catch(() => undefined);
    await this.temporalConn?.close().catch(() => undefined);
    await this.stack?.stop();
    if (this.dataDir && !process.env.KEEP_FAULT_DATA) rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Runs a test body; if it fails, the error carries the last lines of every log. */
  async withLogs<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw new Error(`${(e as Error).stack}\n\n${this.logs()}`);
    }
  }

  /** Diagnostics for a failed assertion: the last lines of every log. */
  logs(): string {
    const names = ['api', 'worker', 'postgres', 'redis', 'temporal'];
    return [`stack: ${this.stackLog.slice(-10).join('\n')}`, ...names.map((n) => `---- ${n}\n${tail(join(this.dataDir, 'logs', `${n}.log`), 25)}`)].join('\n');
  }

  // ---------------------------------------------------------------- HTTP and fixtures

  http(method: string, path: string, token?: string, body?: unknown, timeoutMs = 60_000): Promise<Res> {
    return httpJson(this.base, method, path, { token, body, timeoutMs });
  }

  private async fixtures(): Promise<void> {
    this.tree = await createTree(this.ds);
    this.hospital = (await createHospital(this.ds, this.tree.county.code)).id;
    await createCampaign(this.ds, this.tree.county.code, { registrationStart: shanghaiDay(-30), registrationEnd: shanghaiDay(30), screeningStart: shanghaiDay(-20) });
    const mk = (role: string, unit: { code: string; path: string }, partnerId?: string) => this.addUser(role, unit, partnerId);
    this.users = {
      villager: await mk('village_caseworker', this.tree.villageA1),
      township: await mk('township_officer', this.tree.townshipA),
      county: await mk('county_officer', this.tree.county),
      doctor: await mk('partner_staff', this.tree.county, this.hospital),
      manager: await mk('manager', this.tree.county),
    };
  }

  private passwordHash?: Promise<string>;

  /** A staff account, logged in over HTTP (e.g. the staff of an institution a test adds). */
  async addUser(role: string, unit: { code: string; path: string }, partnerId?: string): Promise<User> {
    const hash = await (this.passwordHash ??= hashPassword(PASSWORD));
    const s = await createStaff(this.ds, { role, orgUnitCode: unit.code, partnerId, passwordHash: hash });
    const r = await this.http('POST', '/auth/login', undefined, { username: s.username, password: PASSWORD });
    if (r.status !== 200) throw new Error(`login failed: ${r.status} ${JSON.stringify(r.body)}`);
    const token = r.body.accessToken;
    const actor: Actor = { id: s.id, name: s.name, role, orgPath: unit.path, partnerId: partnerId ?? null };
    return {
      id: s.id, name: s.name, role, orgPath: unit.path, partnerId: partnerId ?? null, token, actor,
      get: (p) => this.http('GET', p, token),
      post: (p, b) => this.http('POST', p, token, b ?? {}),
    };
  }

  async newPerson(): Promise<string> {
    return (await createPerson(this.ds, this.tree.villageA1.code, this.tree.villageA1.path, { birth: '1950-03-04' })).id;
  }

  async startCase(): Promise<string> {
    const personId = await this.newPerson();
    const r = await this.users.villager.post('/cases', { programme: 'cataract', personId });
    if (r.status !== 201) throw new Error(`POST /cases: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.caseId;
  }

  /** The open task of a step, read from Postgres (the read model). */
  async openTask(caseId: string, step: string, ms = 90_000): Promise<{ id: string; step: string }> {
    return until(`open task ${step} of ${caseId}`, async () => {
      const rows = await this.ds.query(`SELECT id, step FROM task WHERE case_id = $1 AND step = $2 AND status = 'open'`, [caseId, step]);
      return rows[0];
    }, ms, 150);
  }

  /**
   * One decision over HTTP, as a client with retries would send it: a 503 (case busy or a
   * dependency down) or a dropped connection is retried; a 409 TASK_CLOSED after such a failed
   * attempt means the earlier attempt went through. Returns the statuses seen.
   */
  async decide(who: User, caseId: string, step: string, body: any, path: 'decision' | 'followup' = 'decision'): Promise<number[]> {
    const t = await this.openTask(caseId, step);
    const seen: number[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      let r: Res;
      try {
        r = await this.http('POST', `/cases/${caseId}/tasks/${t.id}/${path}`, who.token, body, 45_000);
      } catch {
        seen.push(0);
        await sleep(1000);
        continue;
      }
      seen.push(r.status);
      if (r.status === 200) return seen;
      if (r.status === 409 && r.body?.code === 'TASK_CLOSED' && attempt > 0) return seen;
      if (r.status >= 500) {
        await sleep(1000);
        continue;
      }
      throw new Error(`${step}: ${r.status} ${JSON.stringify(r.body)} (after ${seen.join(',')})`);
    }
    throw new Error(`${step}: no success after ${seen.join(',')}`);
  }

  /** Drives a started case from screening to archive over HTTP (surgery 100 days ago: follow-ups overdue). */
  async driveToEnd(caseId: string, onStep?: (step: string) => Promise<void>): Promise<void> {
    const u = this.users;
    const step = async (name: string, fn: () => Promise<unknown>) => {
      await onStep?.(name);
      await fn();
    };
    await step('screening', () => this.decide(u.township, caseId, 'screening', { action: 'submit', data: { suitable: true, eye: 'right', uncorrectedAcuity: 0.05 } }));
    await step('hospital_choice', () => this.decide(u.villager, caseId, 'hospital_choice', { action: 'submit', data: { partnerId: this.hospital } }));
    await step('pre_op_check', () => this.decide(u.doctor, caseId, 'pre_op_check', { action: 'submit', data: { fit: true, eye: 'right' } }));
    await step('township_verify', () => this.decide(u.township, caseId, 'township_verify', { action: 'approve' }));
    await step('county_approval', () => this.decide(u.county, caseId, 'county_approval', { action: 'approve' }));
    await step('surgery', () => this.decide(u.doctor, caseId, 'surgery', { action: 'submit', data: { surgeryDate: shanghaiDay(-100), eye: 'right', lensImplanted: true } }));
    await step('settlement', async () => {
      await this.decide(u.county, caseId, 'settlement', { action: 'submit', data: { amount: 1800 } });
      await Promise.all(['followup_day1', 'followup_phone', 'followup_2w', 'followup_3m'].map((f) =>
        this.decide(u.doctor, caseId, f, { data: { reached: true, uncorrectedAcuity: 0.3, correctedAcuity: 0.5 } }, 'followup')));
    });
    await step('confirmation', () => this.decide(u.township, caseId, 'confirmation', { action: 'submit', data: { confirmed: true } }));
  }

  async caseRow(caseId: string): Promise<any> {
    return (await this.ds.query(`SELECT * FROM case_file WHERE id = $1`, [caseId]))[0];
  }

  async timelineProblems(caseId: string): Promise<string[]> {
    return timelineProblems(this.ds, caseId);
  }

  /**
   * The notifications this case must have produced, derived from its task rows and our one user
   * per role: "assigned" for every task, "remind" for reminded tasks, "overdue" to the assignee and
   * "escalated" to the county officer and the manager for overdue tasks.
   */
  async expectedNotificationKeys(caseId: string): Promise<string[]> {
    const tasks: any[] = await this.ds.query(`SELECT * FROM task WHERE case_id = $1`, [caseId]);
    const u = this.users;
    const byRole: Record<string, User[]> = {};
    for (const x of Object.values(u)) (byRole[`${x.role}@${x.orgPath.split('/').filter(Boolean).pop()}`] ??= []).push(x);
    const keys: string[] = [];
    for (const t of tasks) {
      const recipients = t.partner_id ? [u.doctor] : (byRole[`${t.assignee_role}@${t.org_unit_code}`] ?? []);
      for (const r of recipients) keys.push(`assigned:${t.id}:${r.id}`);
      if (t.reminded_at) for (const r of recipients) keys.push(`remind:${t.id}:0:${r.id}`);
      if (t.overdue) {
        for (const r of recipients) keys.push(`overdue:${t.id}:${r.id}`);
        // escalation: partner task → county officer; village → township officer; township → county officer; + managers over
        const next = t.partner_id || t.org_unit_code === this.tree.townshipA.code ? [u.county] : t.org_unit_code === this.tree.villageA1.code ? [u.township] : [];
        const up = [...next, u.manager];
        for (const r of up) keys.push(`escalated:${t.id}:${r.id}`);
      }
    }
    // a closed case tells the caseworker who registered it how it ended (once)
    const [c] = await this.ds.query(`SELECT status, created_by FROM case_file WHERE id = $1`, [caseId]);
    if (c?.status === 'closed' && c.created_by) keys.push(`closed:${caseId}:${c.created_by}`);
    return keys.sort();
  }

  async notificationCounts(caseId: string): Promise<Record<string, number>> {
    const rows: { dedupe_key: string; n: string }[] = await this.ds.query(
      `SELECT dedupe_key, count(*) AS n FROM notification WHERE case_id = $1 GROUP BY dedupe_key`,
      [caseId],
    );
    return Object.fromEntries(rows.map((r) => [r.dedupe_key, Number(r.n)]));
  }

  /**
   * Whether every notification the case owes its staff was handled exactly once. With the
   * delivery ledger (notification_delivery, one row per key and channel): every expected key has
   * exactly one in-app ledger row, finished — `sent` with exactly one in-app notification row, or
   * `skipped` for a reminder/overdue/escalation whose task closed before delivery (by design);
   * without the ledger: exactly one in-app notification row per key. No row for a key nobody
   * expected. Returns the problems (empty = all good) and a summary.
   */
  async notificationProblems(caseId: string): Promise<{ problems: string[]; summary: Record<string, number> }> {
    const expected = await this.expectedNotificationKeys(caseId);
    const inApp = await this.notificationCounts(caseId);
    const problems: string[] = [];
    const summary: Record<string, number> = { expected: expected.length };
    const [{ t }] = await this.ds.query(`SELECT to_regclass('notification_delivery')::text AS t`);
    if (t) {
      const ledger: { job_key: string; status: string }[] = await this.ds.query(
        `SELECT job_key, status FROM notification_delivery WHERE case_id = $1 AND channel = 'in_app' AND recipient_kind = 'staff'`,
        [caseId],
      );
      const byKey = new Map<string, string[]>();
      for (const r of ledger) byKey.set(r.job_key, [...(byKey.get(r.job_key) ?? []), r.status]);
      for (const k of expected) {
        const st = byKey.get(k) ?? [];
        if (st.length !== 1) {
          problems.push(`${k}: ${st.length} in-app ledger rows`);
          continue;
        }
        summary[st[0]] = (summary[st[0]] ?? 0) + 1;
        if (st[0] === 'sent') {
          if (inApp[k] !== 1) problems.push(`${k}: sent, ${inApp[k] ?? 0} in-app notification rows`);
        } else if (st[0] === 'skipped') {
          if (k.startsWith('assigned:')) problems.push(`${k}: assignment skipped`);
          if (inApp[k]) problems.push(`${k}: skipped but ${inApp[k]} in-app rows`);
        } else problems.push(`${k}: ${st[0]}`);
      }
      for (const k of byKey.keys()) if (!expected.includes(k)) problems.push(`unexpected ledger key ${k}`);
    } else {
      for (const k of expected) if (inApp[k] !== 1) problems.push(`${k}: ${inApp[k] ?? 0} in-app notification rows`);
      summary.sent = expected.filter((k) => inApp[k] === 1).length;
    }
    for (const [k, n] of Object.entries(inApp)) {
      if (!expected.includes(k)) problems.push(`unexpected notification ${k}`);
      if (n !== 1) problems.push(`${k}: ${n} notification rows`);
    }
    return { problems, summary };
  }

  /** Waits until notificationProblems() is empty; fails listing what is still wrong. */
  async waitNotifications(caseId: string, ms = 60_000): Promise<Record<string, number>> {
    const end = Date.now() + ms;
    for (;;) {
      const r = await this.notificationProblems(caseId);
      if (!r.problems.length) return r.summary;
      if (Date.now() > end) throw new Error(`notifications of case ${caseId} after ${ms} ms:\n  ${r.problems.join('\n  ')}`);
      await sleep(300);
    }
  }

  /**
   * Traces of lost work in a case's history: the highest attempt of any activity (an activity that
   * ran on the killed worker, or failed while a dependency was down, is retried: attempt >= 2) and
   * workflow tasks that timed out (a workflow task that was on the killed worker).
   */
  async retryTraces(caseId: string): Promise<{ maxActivityAttempt: number; retried: string[]; workflowTaskTimeouts: number }> {
    const history = await this.temporal.workflow.getHandle(`case-${caseId}`).fetchHistory();
    const scheduled = new Map<string, string>();
    const retried: string[] = [];
    let maxActivityAttempt = 1;
    let workflowTaskTimeouts = 0;
    for (const e of history.events ?? []) {
      const s = e.activityTaskScheduledEventAttributes;
      if (s) scheduled.set(String(e.eventId), s.activityType?.name ?? '?');
      const st = e.activityTaskStartedEventAttributes;
      if (st) {
        const attempt = st.attempt ?? 1;
        maxActivityAttempt = Math.max(maxActivityAttempt, attempt);
        if (attempt > 1) retried.push(`${scheduled.get(String(st.scheduledEventId)) ?? '?'}#${attempt}`);
      }
      if (e.workflowTaskTimedOutEventAttributes) workflowTaskTimeouts++;
    }
    return { maxActivityAttempt, retried, workflowTaskTimeouts };
  }
}
