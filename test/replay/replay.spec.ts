/**
 * The versioning gate: every recorded history under test/replay/histories is replayed against
 * the current workflow code. A change that alters the command sequence of an open case without
 * a patched() guard fails here. Record new histories with `npm run record:histories`.
 */
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(__dirname, 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

test('there are recorded histories for the programme paths', () => {
  expect(files.length).toBeGreaterThanOrEqual(6);
});

test.each(files)('replays %s without non-determinism', async (file) => {
  const history = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  await Worker.runReplayHistory(
    { workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! }, replayName: file },
    history,
    `replay-${file}`,
  );
});
