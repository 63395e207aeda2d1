/**
 * Proof that the versioning gate (replay.spec.ts + scripts/replay-histories.mjs) catches what it
 * is meant to catch. Three versions of one small fixture workflow (test/fixtures/versioning):
 *   v1            timer → activity                        (the version open cases started with)
 *   v2-unguarded  NEW activity → timer → activity          (must FAIL replay of a v1 history)
 *   v2-patched    patched('my-change') ? activity → timer → activity  (must PASS)
 * A v1 history is recorded on the time-skipping test server, written to a temp file and replayed
 * with the same script CI uses, in a child process, against each bundle.
 */
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testServerExecutable } from '../setup/services';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bundleWorkflows } = require('../../scripts/lib/workflow-bundle.cjs');

const root = join(__dirname, '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'versioning');
const dir = mkdtempSync(join(tmpdir(), 'dpf-versioning-'));
const bundles: Record<'v1' | 'v2-unguarded' | 'v2-patched', string> = { v1: '', 'v2-unguarded': '', 'v2-patched': '' };
let v1History = '';
let patchedHistory = '';

function replay(bundle: string, histories: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'replay-histories.mjs'), bundle, ...histories], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
    timeout: 60_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Runs one version to completion on the time-skipping server and saves its history (proto JSON). */
async function record(env: TestWorkflowEnvironment, bundle: string, name: string, calls: string[]): Promise<string> {
  const taskQueue = `versioning-${name}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: bundle },
    activities: {
      prepare: async (id: string) => (calls.push(`prepare:${id}`), 'prepared'),
      notify: async (id: string) => (calls.push(`notify:${id}`), 'notified'),
    },
  });
  const file = join(dir, `${name}.json`);
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start('versionedCaseWorkflow', { taskQueue, workflowId: `gate-${name}`, args: [name] });
    expect(await handle.result()).toBe('notified');
    writeFileSync(file, historyToJSON(await handle.fetchHistory()));
  });
  return file;
}

beforeAll(async () => {
  for (const v of Object.keys(bundles) as (keyof typeof bundles)[]) {
    const file = join(dir, `${v}.js`);
    writeFileSync(file, await bundleWorkflows(join(fixtures, `${v}.ts`)));
    bundles[v] = file;
  }
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: testServerExecutable() } });
  try {
    const calls: string[] = [];
    v1History = await record(env, bundles.v1, 'v1', calls);
    patchedHistory = await record(env, bundles['v2-patched'], 'v2-patched', calls);
    // v1 never prepares; a new case on the patched code takes the new path.
    expect(calls).toEqual(['notify:v1', 'prepare:v2-patched', 'notify:v2-patched']);
  } finally {
    await env.teardown();
  }
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('control: the v1 history replays on the v1 code', () => {
  const r = replay(bundles.v1, [v1History]);
  expect(r.out).toMatch(/^ok {3}v1$/m);
  expect(r.code).toBe(0);
});

test('an unguarded change to the command sequence fails the gate with a non-determinism error', () => {
  const r = replay(bundles['v2-unguarded'], [v1History]);
  console.log(`the gate on an unguarded change says:\n${r.out.trim()}`);
  expect(r.code).toBe(1);
  expect(r.out).toMatch(/^FAIL v1: /m);
  expect(r.out).toMatch(/nondetermini/i);
});

test('the same change behind patched() passes the gate, and new cases replay on it too', () => {
  const r = replay(bundles['v2-patched'], [v1History, patchedHistory]);
  expect(r.out).toMatch(/^ok {3}v1$/m);
  expect(r.out).toMatch(/^ok {3}v2-patched$/m);
  expect(r.code).toBe(0);
});

test('the patched history in turn fails on the old code (a rollback after new cases started is not safe)', () => {
  const r = replay(bundles.v1, [patchedHistory]);
  expect(r.code).toBe(1);
  expect(r.out).toMatch(/^FAIL v2-patched: /m);
});
