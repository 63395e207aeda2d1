/**
 * The versioning gate: every recorded history under test/replay/histories is replayed against
 * the current workflow code (the bundle the suite built). A change that alters the command
 * sequence of an open case without a patched() guard fails here.
 * Record new histories with `npm run record:histories` (see README, "Changing a programme").
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const dir = join(__dirname, 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

function replay(bundle: string, histories: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'replay-histories.mjs'), bundle, ...histories], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

test('there are recorded histories for the programme paths', () => {
  expect(files.length).toBeGreaterThanOrEqual(8);
});

test('every workflow the worker runs has at least one recorded history', () => {
  // workflows/index.ts lists every workflow type the worker registers; a new one needs a history here.
  const exported = [...readFileSync(join(root, 'workflows', 'index.ts'), 'utf8').matchAll(/export \{ (\w+) \}/g)].map((m) => m[1]).sort();
  expect(exported.length).toBeGreaterThanOrEqual(4);
  const recorded = new Set(files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')).events[0].workflowExecutionStartedEventAttributes.workflowType.name));
  expect(exported.filter((w) => !recorded.has(w))).toEqual([]);
});

test('every recorded history replays on the current workflow code', () => {
  const r = replay(process.env.WORKFLOW_BUNDLE_PATH!, files.map((f) => join(dir, f)));
  expect(r.out.split('\n').filter((l) => l.startsWith('ok')).length).toBe(files.length);
  expect(r.code).toBe(0);
});
