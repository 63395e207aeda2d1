// Small helpers shared by dev.mjs and run-tests.mjs: free ports, child processes with log files.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

export function portFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

export async function freePort(preferred) {
  if (preferred && (await portFree(preferred))) return preferred;
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Runs a command to completion; rejects with its output on a non-zero exit. */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${out}`))));
  });
}

/** Starts a long-running child whose output goes to a log file; returns { child, exited }. */
export function startLogged(name, cmd, args, { env, cwd, logFile }) {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', log, log], detached: true });
  fs.closeSync(log);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ name, code, signal })));
  return { name, child, exited, logFile };
}

export function tail(file, lines = 20) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export async function stopChild(p, timeoutMs = 35_000) {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  await p.exited;
  clearTimeout(timer);
}

export function pidAlive(pid) {
  try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
}
export function cmdlineOf(pid) {
  try { return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '); } catch {}
  return spawnSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' }).stdout ?? ''; // macOS
}
export const killGroup = (pid, sig = 'SIGKILL') => { try { process.kill(-pid, sig); } catch { try { process.kill(pid, sig); } catch {} } };

/**
 * Stops processes a killed previous run left behind, as recorded in `file` ([{ name, pid, match }]):
 * only a live pid whose command line still contains `match` (a recycled pid is left alone).
 */
export async function stopLeftovers(file, log, timeoutMs = 35_000) {
  let list = [];
  try { list = JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return; }
  for (const p of list) {
    if (!pidAlive(p.pid) || !cmdlineOf(p.pid).includes(p.match)) continue;
    log(`stopping leftover ${p.name} (pid ${p.pid}) from a previous run`);
    try { process.kill(p.pid, 'SIGTERM'); } catch {}
    const deadline = Date.now() + timeoutMs;
    while (pidAlive(p.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    if (pidAlive(p.pid)) killGroup(p.pid);
  }
  fs.rmSync(file, { force: true });
}
