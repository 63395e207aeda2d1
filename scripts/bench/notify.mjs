#!/usr/bin/env node
// Notification benchmark (not a test): 10,000 reminders due in the same minute, each to its own
// officer by in-app and SMS through a local HTTP gateway (HMAC-checked, like the real one), all
// through the built notifier process (dist/src/notifications/notifier.js).
// Prints delivered count, duplicates, time to drain and the notifier's peak RSS.
// Target: all delivered, zero duplicates, drained within 60 s.
//
//   npm run bench:notify                       # own throw-away Postgres + Redis (no Temporal needed)
//   DATABASE_URL=… REDIS_URL=… npm run bench:notify   # use running services instead
//   BENCH_N=20000 BENCH_SKIP_BUILD=1 …          # size; skip the TypeScript build
//   BENCH_NODE_ARGS='--cpu-prof' BENCH_KEEP_LOG=/tmp/notifier.log …   # profile; keep the notifier's output
import { spawn, spawnSync } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Queue } from 'bullmq';
import pg from 'pg';
import { startStack } from '../lib/stack.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const N = Number(process.env.BENCH_N || 10_000);
const TARGET_MS = 60_000;
const SECRET = 'bench-gateway-secret-0123456789';
const say = (m) => console.error(`\x1b[1m[bench]\x1b[0m ${m}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- services
let stack = null;
let dummyTemporal = null;
let dataDir = null;
let notifier = null;
async function cleanup() {
  if (notifier && notifier.exitCode === null) notifier.kill('SIGKILL');
  dummyTemporal?.close();
  if (stack) await stack.stop().catch(() => undefined);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}
process.on('SIGINT', () => cleanup().finally(() => process.exit(130)));

async function services() {
  if (process.env.DATABASE_URL && process.env.REDIS_URL) {
    return { DATABASE_URL: process.env.DATABASE_URL, REDIS_URL: process.env.REDIS_URL, TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS || '127.0.0.1:7233' };
  }
  // The notifier does not talk to Temporal; a listening socket satisfies the stack's reachability probe.
  dummyTemporal = net.createServer((s) => s.destroy());
  await new Promise((r) => dummyTemporal.listen(0, '127.0.0.1', r));
  const temporal = `127.0.0.1:${dummyTemporal.address().port}`;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dpf-bench-'));
  fs.chmodSync(dataDir, 0o755);
  stack = await startStack({ root, dataDir, mode: 'test', log: say, handleSignals: false, env: { ...process.env, TEMPORAL_ADDRESS: temporal } });
  return { DATABASE_URL: stack.env.DATABASE_URL, REDIS_URL: stack.env.REDIS_URL, TEMPORAL_ADDRESS: temporal };
}

// ---------------------------------------------------------------- the local SMS gateway
function startGateway() {
  const stats = { raw: 0, badSignatures: 0, outIds: new Map(), phones: new Map() };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const expected = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
      res.setHeader('content-type', 'application/json');
      if (req.headers['x-dpf-signature'] !== expected) {
        stats.badSignatures++;
        res.statusCode = 401;
        return res.end('{"Code":"SignatureDoesNotMatch"}');
      }
      const m = JSON.parse(body);
      stats.raw++;
      stats.outIds.set(m.OutId, (stats.outIds.get(m.OutId) ?? 0) + 1);
      stats.phones.set(m.PhoneNumbers, (stats.phones.get(m.PhoneNumbers) ?? 0) + 1);
      res.end(JSON.stringify({ Code: 'OK', BizId: randomUUID() }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/sms`, stats, server })));
}

// ---------------------------------------------------------------- data
async function seed(db, run) {
  const county = `3${String(Math.floor(Math.random() * 100000)).padStart(5, '0')}`;
  const city = `${county.slice(0, 4)}00`;
  const township = `${county}101`;
  const village = `${county}101201`;
  const units = [
    [city, 'city', null, `/${city}/`],
    [county, 'county', city, `/${city}/${county}/`],
    [township, 'township', county, `/${city}/${county}/${township}/`],
    [village, 'village', township, `/${city}/${county}/${township}/${village}/`],
  ];
  for (const [code, level, parent, p] of units) {
    await db.query(`INSERT INTO org_unit (code, name, level, parent_code, path) VALUES ($1,$2,$3,$4,$5) ON CONFLICT (code) DO NOTHING`, [code, `bench ${level}`, level, parent, p]);
  }
  const tpath = units[2][3];
  await db.query(
    `INSERT INTO staff_user (id, username, display_name, password_hash, role, org_unit_code, phone)
     SELECT gen_random_uuid(), $1 || i, '测试' || i, 'x', 'township_officer', $2, '13' || lpad(($3::bigint * 100000 + i)::text, 9, '0')
     FROM generate_series(1, $4) i`,
    [`bench-${run}-`, township, Math.floor(Math.random() * 9000), N],
  );
  const users = (await db.query(`SELECT id FROM staff_user WHERE username LIKE $1 ORDER BY username`, [`bench-${run}-%`])).rows.map((r) => r.id);
  await db.query(`INSERT INTO notification_preference (user_id, channels) SELECT unnest($1::uuid[]), '{"task_due_soon": ["sms"]}'`, [users]);
  const personId = randomUUID();
  // Stored encrypted like every person row (a throw-away key: the notifier never reads the ID).
  const { PiiCipher, encryptPersonPii } = await import(pathToFileURL(path.join(root, 'dist/src/security/pii-crypto.js')).href);
  const pii = encryptPersonPii(PiiCipher.fromEnv({ PII_ENCRYPTION_KEY: `bench:${randomBytes(32).toString('base64')}` }), `BENCH${run.slice(0, 13)}`.padEnd(18, '0').slice(0, 18), null);
  await db.query(
    `INSERT INTO person (id, resident_id_enc, resident_id_bidx, pii_key_id, name, sex, birth_date, hukou_org_code, org_path) VALUES ($1,$2,$3,$4,'张小三','M','1950-01-01',$5,$6)`,
    [personId, pii.resident_id_enc, pii.resident_id_bidx, pii.pii_key_id, village, units[3][3]],
  );
  const caseId = randomUUID();
  const caseNo = `CAT-2026-B${run.slice(0, 6)}`;
  await db.query(
    `INSERT INTO case_file (id, case_no, programme, person_id, org_unit_code, org_path, step, workflow_id, rule_version, opened_at)
     VALUES ($1,$2,'cataract',$3,$4,$5,'screening',$6,'bench',now())`,
    [caseId, caseNo, personId, village, units[3][3], `bench-${caseId}`],
  );
  await db.query(
    `INSERT INTO task (id, case_id, programme, step, kind, status, assignee_role, org_unit_code, org_path, assignee_user_id, due_at, due_date, created_at)
     SELECT $1::text || '-t' || n, $1::uuid, 'cataract', 'screening', 'record', 'open', 'township_officer', $2, $3, u, now() + interval '1 day', (now() + interval '1 day')::date, now()
     FROM unnest($4::uuid[]) WITH ORDINALITY AS x(u, n)`,
    [caseId, township, tpath, users],
  );
  return { users, caseId, caseNo };
}

// ---------------------------------------------------------------- main
async function main() {
  if (!process.env.BENCH_SKIP_BUILD) {
    say('building (tsc)');
    const b = spawnSync('npm', ['run', '--silent', 'build:ts'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('build failed');
  }
  const env = await services();
  say('migrating');
  const m = spawnSync(process.execPath, [path.join(root, 'dist/src/database/cli.js'), 'migrate'], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (m.status !== 0) throw new Error(`migrate failed: ${m.stderr}`);

  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  const run = randomUUID().replace(/-/g, '');
  say(`seeding ${N} officers with an open task each`);
  const { users, caseId, caseNo } = await seed(db, run);
  const gateway = await startGateway();

  say('starting the notifier');
  // BENCH_NODE_ARGS: extra node flags for the notifier, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  notifier = spawn(process.execPath, [...nodeArgs, path.join(root, 'dist/src/notifications/notifier.js')], {
    cwd: root,
    env: {
      PATH: process.env.PATH, ...env, JWT_SECRET: 'bench-secret-bench-secret-bench-secret-01', LOG_LEVEL: 'log',
      SMS_GATEWAY_URL: gateway.url, SMS_GATEWAY_SECRET: SECRET,
      NOTIFY_RATE_LIMITS: 'sms=2000/s', NOTIFY_QUIET_START: '00:00', NOTIFY_QUIET_END: '00:00',
      DATABASE_POOL_SIZE: '20',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  notifier.stdout.on('data', (d) => (out += d));
  notifier.stderr.on('data', (d) => (out += d));
  for (let i = 0; !out.includes('notifier ready'); i++) {
    if (notifier.exitCode !== null || i > 600) throw new Error(`notifier did not start:\n${out}`);
    await sleep(100);
  }
  let peakRss = 0;
  const rssOf = () => {
    try {
      const s = fs.readFileSync(`/proc/${notifier.pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+)/.exec(s)?.[1] ?? 0) * 1024; // the kernel's high-water mark
    } catch {
      return process.platform === 'linux' ? 0 : Number(spawnSync('ps', ['-o', 'rss=', '-p', String(notifier.pid)], { encoding: 'utf8' }).stdout.trim()) * 1024;
    }
  };
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, rssOf())), 200);

  // 10,000 reminders due in the same minute: the jobs the case activity enqueues for them
  const queue = new Queue('notifications', { connection: { url: env.REDIS_URL, maxRetriesPerRequest: null } });
  const dueDate = new Date(Date.now() + 8 * 3600_000 + 86400_000).toISOString().slice(0, 10);
  const jobs = users.map((userId, i) => {
    const key = `remind:${caseId}-t${i + 1}:0:${userId}`;
    return { name: 'task_due_soon', data: { key, userId, type: 'task_due_soon', caseId, taskId: `${caseId}-t${i + 1}`, vars: { caseNo, step: 'screening', dueDate } }, opts: { jobId: key.replace(/:/g, '|') } };
  });
  const keys = jobs.map((j) => j.data.key);
  say(`enqueueing ${N} reminders`);
  const t0 = Date.now();
  for (let i = 0; i < jobs.length; i += 1000) await queue.addBulk(jobs.slice(i, i + 1000));
  const enqueuedMs = Date.now() - t0;

  let drainedMs = null;
  let lastSaid = 0;
  const deadline = t0 + Math.max(3 * TARGET_MS, 180_000);
  while (Date.now() < deadline) {
    const { rows } = await db.query(
      `SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*)::int AS total FROM notification_delivery WHERE case_id = $1`,
      [caseId],
    );
    const line = `${((Date.now() - t0) / 1000).toFixed(1)} s: ${rows[0].sent}/${2 * N} deliveries sent, gateway ${gateway.stats.outIds.size}`;
    if (Date.now() - lastSaid >= 5000) {
      say(line);
      lastSaid = Date.now();
    }
    if (rows[0].sent === 2 * N) {
      drainedMs = Date.now() - t0;
      break;
    }
    await sleep(250);
  }
  clearInterval(rssTimer);
  peakRss = Math.max(peakRss, rssOf());

  const inApp = (await db.query(`SELECT count(*)::int AS rows, count(DISTINCT dedupe_key)::int AS distinct FROM notification WHERE dedupe_key = ANY($1)`, [keys])).rows[0];
  const s = gateway.stats;
  const smsDuplicates = s.raw - s.outIds.size;
  const phoneDuplicates = [...s.phones.values()].filter((n) => n > 1).length;
  const attempts = (await db.query(`SELECT outcome, count(*)::int AS n FROM notification_attempt WHERE job_key = ANY($1) GROUP BY outcome`, [keys])).rows;

  notifier.kill('SIGTERM');
  await new Promise((r) => notifier.once('exit', r));
  await queue.close();
  await db.end();
  gateway.server.close();

  const ok = drainedMs !== null && drainedMs <= TARGET_MS && inApp.distinct === N && s.outIds.size === N && inApp.rows === inApp.distinct && smsDuplicates === 0 && phoneDuplicates === 0 && s.badSignatures === 0;
  console.log('');
  console.log(`notification benchmark: ${N} reminders due in the same minute, in-app + SMS gateway, ${os.cpus().length} CPUs`);
  console.log(`  enqueued           ${N} jobs in ${(enqueuedMs / 1000).toFixed(2)} s`);
  console.log(`  delivered in-app   ${inApp.distinct} / ${N}   (rows ${inApp.rows}, duplicates ${inApp.rows - inApp.distinct})`);
  console.log(`  delivered SMS      ${s.outIds.size} / ${N}   (requests ${s.raw}, duplicates ${smsDuplicates}, phones with >1 ${phoneDuplicates}, bad signatures ${s.badSignatures})`);
  console.log(`  attempts logged    ${attempts.map((a) => `${a.outcome} ${a.n}`).join(', ')}`);
  console.log(`  time to drain      ${drainedMs === null ? 'not drained' : `${(drainedMs / 1000).toFixed(1)} s`}  (${drainedMs ? Math.round((2 * N) / (drainedMs / 1000)) : 0} deliveries/s; target ≤ ${TARGET_MS / 1000} s)`);
  console.log(`  notifier peak RSS  ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
  console.log(`  result             ${ok ? 'PASS' : 'FAIL'}`);
  if (process.env.BENCH_KEEP_LOG) fs.writeFileSync(process.env.BENCH_KEEP_LOG, out);
  if (!ok) console.log(`\nnotifier output (last lines):\n${out.trim().split('\n').slice(-15).join('\n')}`);
  return ok ? 0 : 1;
}

main()
  .then(async (code) => {
    await cleanup();
    process.exit(code);
  })
  .catch(async (err) => {
    console.error(`[bench] ${err.stack ?? err}`);
    await cleanup();
    process.exit(1);
  });
