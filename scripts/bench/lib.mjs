// Small helpers for scripts/bench: timing statistics, a concurrency pool, child processes, HTTP.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export { sleep };

export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** { n, p50, p95, p99, max, mean } in ms of a list of durations. */
export function stats(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / (s.length || 1);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.at(-1) ?? NaN, mean };
}

export const round = (x, d = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : x);

/** Runs fn(i) for i in [0, n) with at most `concurrency` at a time; returns the results in order. */
export async function pool(n, concurrency, fn) {
  const out = new Array(n);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next < n) {
      const i = next++;
      out[i] = await fn(i);
    }
  });
  await Promise.all(lanes);
  return out;
}

/** Times fn; returns [ms, result]. */
export async function timed(fn) {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export function tail(file, n = 30) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '(no log)';
  }
}

/** A child node process with its output in a log file; `ipc` adds an IPC channel. */
export function startNode(name, script, { env, cwd, logFile, ipc = false }) {
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, [script], { cwd, env, stdio: ['ignore', fd, fd, ...(ipc ? ['ipc'] : [])] });
  fs.closeSync(fd);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { name, child, exited, logFile };
}

export async function stopNode(p, timeoutMs = 20_000) {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  const t = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  await p.exited;
  clearTimeout(t);
}

/** Resident set size of a process in bytes (Linux /proc), or NaN. */
export function rssOf(pid) {
  try {
    const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)\s+kB/);
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Asks a child started with ipc + scripts/bench/mem-probe.cjs for its main-thread heap; null on timeout. */
export function heapOf(p, timeoutMs = 2000) {
  if (!p.child.connected) return Promise.resolve(null);
  return new Promise((resolve) => {
    const t = setTimeout(() => { p.child.off('message', on); resolve(null); }, timeoutMs);
    const on = (m) => { if (m?.mem) { clearTimeout(t); p.child.off('message', on); resolve(m); } };
    p.child.on('message', on);
    p.child.send('mem');
  });
}

export async function until(what, fn, timeoutMs = 60_000, everyMs = 200) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? ` (${last.message})` : ''}`);
    await sleep(everyMs);
  }
}

/** JSON HTTP call; resolves { status, body }. */
export async function http(base, method, path, { token, body, timeoutMs = 60_000 } = {}) {
  const r = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await r.text();
  let parsed = text;
  try { parsed = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
  return { status: r.status, body: parsed };
}

/** Renders rows (arrays of cells) as an aligned text table. */
export function table(header, rows) {
  const cells = [header, ...rows].map((r) => r.map((c) => (c === undefined || c === null ? '' : String(c))));
  const w = header.map((_, i) => Math.max(...cells.map((r) => [...r[i]].length)));
  const line = (r) => r.map((c, i) => c + ' '.repeat(w[i] - [...c].length)).join(' | ');
  return [line(cells[0]), w.map((n) => '-'.repeat(n)).join('-|-'), ...cells.slice(1).map(line)].join('\n');
}
