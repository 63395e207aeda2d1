#!/usr/bin/env node
// Manual driver for scripts/lib/stack.mjs.
//   node scripts/stack-cli.mjs up [--mode dev|test] [--data-dir DIR]   start, print env, wait for Ctrl-C, stop
//   node scripts/stack-cli.mjs temporal-cli | test-server                print (installing if needed) the binary path
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureTemporalCli, ensureTestServer, startStack } from './lib/stack.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (msg) => console.error(`[stack] ${msg}`);
const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: { mode: { type: 'string', default: 'dev' }, 'data-dir': { type: 'string' } },
});

const command = positionals[0] ?? 'up';
if (command === 'temporal-cli' || command === 'test-server') {
  const bin = await (command === 'temporal-cli' ? ensureTemporalCli : ensureTestServer)({ root, log });
  console.log(bin ?? '');
  process.exit(bin ? 0 : 1);
} else if (command !== 'up') {
  console.error(`unknown command ${command}; usage: stack-cli.mjs up [--mode dev|test] [--data-dir DIR] | temporal-cli | test-server`);
  process.exit(2);
}

let dataDir = opts['data-dir'] ?? path.join(root, '.data', 'dev');
if (opts.mode === 'test' && !opts['data-dir']) {
  // mkdtemp makes a 0700 dir, which the `postgres` user (when we run as root) could not enter; that would push
  // the cluster to the /var/lib/dpf-caseflow fallback. Open it up, and delete the throw-away dir on exit.
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dpf-stack-'));
  fs.chmodSync(dataDir, 0o755);
  process.on('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }));
}
let stack;
try {
  stack = await startStack({ root, dataDir, mode: opts.mode, log });
} catch (e) {
  log(`failed to start: ${e.message}`);
  process.exit(1);
}
for (const [k, v] of Object.entries(stack.env)) if (v !== undefined) console.log(`export ${k}=${v}`);
log(`running (data dir ${dataDir}, logs in ${path.join(dataDir, 'logs')}); press Ctrl-C to stop`);

// startStack's own SIGINT/SIGTERM/SIGHUP handler stops everything and exits; we only keep the loop alive
// (children are unref'd) and bail out if a service dies on its own.
setInterval(() => {}, 1 << 30);
const died = await Promise.race(stack.services.filter((s) => s.exited).map((s) => s.exited.then(() => s)));
if (died.stopping) await new Promise(() => {}); // exit caused by stop(): the signal handler finishes and exits
log(`${died.name} stopped unexpectedly; stopping the rest`);
await stack.stop();
process.exit(1);
