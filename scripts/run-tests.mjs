// The whole test suite on real services. Started by scripts/test.sh (which also runs in CI).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTestServer, startStack } from './lib/stack.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (m) => console.error(`\x1b[1m[test]\x1b[0m ${m}`);
const SUITE_TIMEOUT_MS = Number(process.env.SUITE_TIMEOUT_MS || 45 * 60_000);

// A throw-away data dir the postgres user can enter (mkdtemp is 0700).
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dpf-test-'));
fs.chmodSync(dataDir, 0o755);

let stack;
let jest;
let finished = false;
async function finish(code) {
  if (finished) return;
  finished = true;
  if (jest && jest.exitCode === null) jest.kill('SIGKILL');
  if (stack) await stack.stop().catch((e) => say(`stopping services: ${e.message}`));
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(code);
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => void finish(130));

const testServer = await ensureTestServer({ root, log: say });
if (!testServer) say('no local time-skipping test server: @temporalio/testing will try to download one (needs internet)');
try {
  stack = await startStack({ root, dataDir, mode: 'test', log: say, handleSignals: false });
} catch (e) {
  say(`could not start the services: ${e.message}`);
  await finish(1);
}

const env = {
  ...process.env,
  ...Object.fromEntries(Object.entries(stack.env).filter(([, v]) => v !== undefined)),
  NODE_ENV: 'test',
  JWT_SECRET: 'test-only-secret-test-only-secret-0123456789',
  PII_ENCRYPTION_KEY: `t1:${Buffer.alloc(32, 7).toString('base64')}`,
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings`.trim(),
  TEMPORAL_TEST_SERVER_PATH: testServer ?? '',
  TEST_ARTIFACTS_DIR: path.join(root, 'test-artifacts'),
};
say(`services up (postgres ${env.DATABASE_URL.replace(/:[^:@/]+@/, ':***@')}, redis ${env.REDIS_URL}, temporal ${env.TEMPORAL_ADDRESS}); running jest`);
jest = spawn(process.execPath, [path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', ...process.argv.slice(2)], {
  cwd: root,
  env,
  stdio: 'inherit',
});
const timer = setTimeout(() => {
  say(`the suite did not finish within ${SUITE_TIMEOUT_MS / 60000} min (an open handle?); stopping it`);
  void finish(1);
}, SUITE_TIMEOUT_MS);
jest.once('exit', (code, signal) => {
  clearTimeout(timer);
  void finish(code ?? (signal ? 1 : 0));
});
