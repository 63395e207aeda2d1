// Bundles the compiled workflows (dist/workflows) into dist/workflow-bundle.js, the file the
// production worker loads (see src/temporal/workflow-source.ts). Run by `npm run build`.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import bundle from './lib/workflow-bundle.cjs';

const code = await bundle.bundleWorkflows(join(bundle.root, 'dist', 'workflows', 'index.js'));
await writeFile(join(bundle.root, 'dist', 'workflow-bundle.js'), code);
console.log(`workflow bundle: dist/workflow-bundle.js (${(code.length / 1024).toFixed(0)} KiB)`);
