// The local platform: services (scripts/lib/stack.mjs), migrations, demo data, api + worker.
// Started by scripts/up.sh after the build. Stays in the foreground; Ctrl-C stops everything.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, run, startLogged, stopChild, stopLeftovers, tail } from './lib/procs.mjs';
import { startStack } from './lib/stack.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, '.data', 'dev');
const logs = path.join(dataDir, 'logs');
const say = (m) => console.error(`\x1b[1m[up]\x1b[0m ${m}`);
fs.mkdirSync(logs, { recursive: true });

// Secrets generated once per checkout and kept with the data (never committed: .data is ignored).
const secretsFile = path.join(dataDir, 'secrets.json');
const secrets = fs.existsSync(secretsFile) ? JSON.parse(fs.readFileSync(secretsFile, 'utf8')) : {};
if (!secrets.JWT_SECRET || !secrets.PII_ENCRYPTION_KEY) {
  secrets.JWT_SECRET ??= randomBytes(36).toString('base64url');
  secrets.PII_ENCRYPTION_KEY ??= `k1:${randomBytes(32).toString('base64')}`;
  fs.writeFileSync(secretsFile, JSON.stringify(secrets, null, 2), { mode: 0o600 });
}

// api and worker of a previous run that was killed outright (SIGKILL, a closed terminal) would keep
// running against services that are about to restart: stop them first.
const appPidsFile = path.join(dataDir, 'app-pids.json');
await stopLeftovers(appPidsFile, say);

let stack;
const procs = [];
let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  say('stopping api and worker…');
  await Promise.all(procs.map((p) => stopChild(p)));
  fs.rmSync(appPidsFile, { force: true });
  if (stack) {
    say('stopping Temporal, Redis, Postgres…');
    await stack.stop();
  }
  say('stopped');
  process.exit(code);
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (stopping) {
      for (const p of procs) p.child.kill('SIGKILL');
      return;
    }
    void shutdown(0);
  });
}

try {
  stack = await startStack({ root, dataDir, mode: 'dev', log: (m) => say(m), handleSignals: false });
} catch (e) {
  say(`could not start the services: ${e.message}`);
  process.exit(1);
}

const apiPortFile = path.join(dataDir, 'api-port');
const preferred = Number(process.env.PORT || (fs.existsSync(apiPortFile) ? fs.readFileSync(apiPortFile, 'utf8') : 3000));
const port = await freePort(preferred);
fs.writeFileSync(apiPortFile, String(port));
const base = `http://127.0.0.1:${port}`;
const env = {
  ...process.env,
  ...Object.fromEntries(Object.entries(stack.env).filter(([, v]) => v !== undefined)),
  JWT_SECRET: process.env.JWT_SECRET || secrets.JWT_SECRET,
  PII_ENCRYPTION_KEY: process.env.PII_ENCRYPTION_KEY || secrets.PII_ENCRYPTION_KEY,
  NODE_ENV: process.env.NODE_ENV || 'development',
  HOST: '127.0.0.1',
  PORT: String(port),
  PUBLIC_URL: base,
  WORKER_HEARTBEAT_FILE: path.join(dataDir, 'worker-alive'),
  // The demo runs 东湖县's child rehabilitation on a compressed training calendar (1 month = 10 min,
  // seed/demo-child-cases.ts): the api accepts that settings version only with this flag (never in production).
  ALLOW_COMPRESSED_CALENDAR: process.env.ALLOW_COMPRESSED_CALENDAR || ((process.env.NODE_ENV || 'development') === 'production' ? 'false' : 'true'),
};

try {
  say('running migrations');
  await run(process.execPath, ['dist/src/database/cli.js', 'migrate'], { env, cwd: root });
  say('seeding reference and demo data (idempotent)');
  await run(process.execPath, ['dist/src/database/cli.js', 'seed'], { env, cwd: root });
} catch (e) {
  say(e.message);
  await shutdown(1);
}

procs.push(startLogged('worker', process.execPath, ['dist/src/worker.js'], { env, cwd: root, logFile: path.join(logs, 'worker.log') }));
procs.push(startLogged('api', process.execPath, ['dist/src/main.js'], { env, cwd: root, logFile: path.join(logs, 'api.log') }));
fs.writeFileSync(appPidsFile, JSON.stringify(procs.map((p) => ({ name: p.name, pid: p.child.pid, match: `dist/src/${p.name === 'api' ? 'main' : 'worker'}.js` }))));
for (const p of procs) {
  p.exited.then(({ code, signal }) => {
    if (stopping) return;
    say(`${p.name} exited (${signal ?? code}); last lines of ${p.logFile}:\n${tail(p.logFile)}`);
    void shutdown(1);
  });
}

// Wait until /ready is green (Temporal, Postgres, Redis) and the worker is polling.
const deadline = Date.now() + 120_000;
let ready;
while (!stopping && Date.now() < deadline) {
  try {
    const r = await fetch(`${base}/ready`);
    ready = await r.json();
    if (r.ok && fs.existsSync(env.WORKER_HEARTBEAT_FILE)) break;
  } catch {
    // not listening yet
  }
  await new Promise((r) => setTimeout(r, 500));
}
if (!ready || ready.status !== 'ok') {
  say(`the platform did not become ready in time: ${JSON.stringify(ready ?? 'no answer from api')}; see ${logs}`);
  await shutdown(1);
}

// Demo cases in every state, driven through the real API as the demo users (skipped when the
// demo already has cases, so a second run resumes rather than duplicating).
try {
  say('seeding demo cases through the API (first run only)');
  const out = await run(process.execPath, ['dist/src/database/cli.js', 'seed-cases', base], { env, cwd: root });
  const last = out.trim().split('\n').at(-1);
  if (last) say(last);
} catch (e) {
  say(`demo cases could not be seeded (the platform is up; see below): ${e.message.split('\n').slice(-3).join(' ')}`);
}

// The daily digest goes out at 08:30 on working days; send the latest working day's now, so the
// demo users find one in their notifications (and e-mail, if SMTP_URL is set). Once per person and day.
try {
  const out = await run(process.execPath, ['dist/src/database/cli.js', 'digest'], { env, cwd: root });
  say(out.trim().split('\n').at(-1));
} catch (e) {
  say(`the demo digest could not be queued: ${e.message.split('\n').slice(-1)[0]}`);
}

const demo = path.join(root, 'dist', 'src', 'database', 'seed', 'demo-accounts.js');
let accounts = '';
if (fs.existsSync(demo)) {
  const { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_NOTES } = (await import(demo)).default ?? (await import(demo));
  if (DEMO_ACCOUNTS) {
    accounts = `\n  Demo accounts (password ${DEMO_PASSWORD}):\n` + DEMO_ACCOUNTS.map((a) => `    ${a.username.padEnd(22)} ${a.label}`).join('\n');
    if (DEMO_NOTES?.length) accounts += '\n\n' + DEMO_NOTES.map((n) => `  ${n}`).join('\n');
  }
}
console.log(`
  DPF caseflow is running.          (/ready: postgres, redis, temporal all ok)

  Web / API        ${base}/
  API docs         ${base}/api/docs
  Health           ${base}/ready
  Temporal UI      ${stack.env.TEMPORAL_UI_URL ?? '(external Temporal: see its own UI)'}
  Logs             ${path.relative(root, logs)}/
  Data             ${path.relative(root, dataDir)}/  (kept across runs)
${accounts}
  Press Ctrl-C to stop everything.
`);
