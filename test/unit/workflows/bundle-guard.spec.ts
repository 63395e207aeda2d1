/** The workflow bundle refuses non-deterministic imports (the suite's global setup bundles workflows/ the same way). */
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bundleWorkflows } = require('../../../scripts/lib/workflow-bundle.cjs');
const fixtures = join(__dirname, '..', '..', 'fixtures', 'bad-workflows');

test('a runtime import from src/ fails the bundle', async () => {
  await expect(bundleWorkflows(join(fixtures, 'imports-src.ts'))).rejects.toThrow(/may not import src\/config\/config\.ts/);
});

test('a Node built-in fails the bundle', async () => {
  await expect(bundleWorkflows(join(fixtures, 'imports-node.ts'))).rejects.toThrow(/fs/);
});

test('type-only imports bundle fine', async () => {
  const code: string = await bundleWorkflows(join(fixtures, 'type-only.ts'));
  expect(code).toContain('okWorkflow');
});
