// Replays recorded workflow histories against a workflow bundle (the versioning gate).
//   node scripts/replay-histories.mjs <bundle.js> <history.json>...
// Prints one line per history and exits 1 if any replay fails (non-determinism or error).
// It runs as a plain Node process: under Jest's module registry protobufjs' JSON conversion
// breaks (duplicated module instances), so the replay test spawns this script.
import { Worker } from '@temporalio/worker';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const [bundle, ...files] = process.argv.slice(2);
if (!bundle || files.length === 0) {
  console.error('usage: replay-histories.mjs <bundle.js> <history.json>...');
  process.exit(2);
}
const histories = files.map((f) => ({ workflowId: basename(f, '.json'), history: JSON.parse(readFileSync(f, 'utf8')) }));
let failed = 0;
for await (const r of Worker.runReplayHistories({ workflowBundle: { codePath: bundle }, replayName: 'gate' }, histories)) {
  if (r.error) {
    failed++;
    console.log(`FAIL ${r.workflowId}: ${r.error.message ?? r.error}`);
  } else {
    console.log(`ok   ${r.workflowId}`);
  }
}
process.exit(failed ? 1 : 0);
