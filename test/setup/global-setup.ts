/**
 * Runs once before the suite:
 *  - bundles workflows/ once with the same guard as the production build, so a forbidden import
 *    (Node built-in, src/, activities/) fails the whole suite here;
 *  - migrates the test database when one is configured (DATABASE_URL), exactly as production does.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataSource } from '../../src/database/data-source';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bundleWorkflows, root } = require('../../scripts/lib/workflow-bundle.cjs');

export default async function globalSetup(): Promise<void> {
  const code: string = await bundleWorkflows(join(root, 'workflows', 'index.ts'));
  const file = join(tmpdir(), `dpf-workflow-bundle-${process.pid}.js`);
  writeFileSync(file, code);
  process.env.WORKFLOW_BUNDLE_PATH = file;

  if (process.env.DATABASE_URL) {
    const ds = createDataSource(process.env.DATABASE_URL, 2);
    await ds.initialize();
    try {
      await ds.runMigrations({ transaction: 'each' });
    } finally {
      await ds.destroy();
    }
  }
}
