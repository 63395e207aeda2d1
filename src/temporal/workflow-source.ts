import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkerOptions } from '@temporalio/worker';

/**
 * Where the worker gets its workflow code. Production and the local stack use the bundle
 * prebuilt by `npm run build` (scripts/build-workflow-bundle.mjs), so a worker starts in
 * a second and runs exactly the code that was bundled (and replay-tested) in CI.
 * Without a bundle (e.g. ts-node during development) the SDK bundles `workflows/` itself.
 */
export function workflowSource(bundlePath?: string): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const candidate = bundlePath ?? join(__dirname, '..', '..', 'workflow-bundle.js');
  if (existsSync(candidate)) return { workflowBundle: { codePath: candidate } };
  if (bundlePath) throw new Error(`WORKFLOW_BUNDLE_PATH ${bundlePath} does not exist; run npm run build`);
  return { workflowsPath: require.resolve('../../workflows') };
}
