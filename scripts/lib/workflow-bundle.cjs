// One way to bundle the workflows, used by the production build (scripts/build-workflow-bundle.mjs)
// and by the test suite (test/setup/global-setup.ts). Temporal's bundler already refuses Node
// built-ins; this adds the house rule that workflows/ imports nothing from src/ or activities/
// (types only, which TypeScript erases), so a forbidden import fails the build and the suite.
const path = require('node:path');
const { bundleWorkflowCode } = require('@temporalio/worker');

const root = path.join(__dirname, '..', '..');
const FORBIDDEN = [path.join(root, 'src') + path.sep, path.join(root, 'activities') + path.sep];

class ForbiddenImportGuard {
  apply(compiler) {
    compiler.hooks.normalModuleFactory.tap('ForbiddenImportGuard', (nmf) => {
      nmf.hooks.afterResolve.tap('ForbiddenImportGuard', (data) => {
        const resource = data.createData && data.createData.resource;
        if (resource && FORBIDDEN.some((dir) => resource.startsWith(dir))) {
          throw new Error(
            `workflows/ may not import ${path.relative(root, resource)} (issuer ${path.relative(root, data.contextInfo.issuer || '?')}): ` +
              'workflow code must be deterministic; use `import type` or move pure code into workflows/',
          );
        }
      });
    });
  }
}

/** Returns the bundle's code; throws on a forbidden import. */
async function bundleWorkflows(workflowsPath) {
  const silent = () => undefined;
  const errors = [];
  const collect = (msg) => errors.push(String(msg));
  try {
    const { code } = await bundleWorkflowCode({
      workflowsPath,
      logger: { info: silent, debug: silent, trace: silent, log: silent, warn: collect, error: collect },
      webpackConfigHook: (config) => {
        config.plugins = [...(config.plugins || []), new ForbiddenImportGuard()];
        return config;
      },
    });
    return code;
  } catch (err) {
    // Webpack's own message says only "finished with errors": put the reasons in the error itself.
    const detail = errors.map((e) => e.split('\n').filter((l) => /ERROR|Error:|disallowed|may not import|importing/.test(l)).join('\n')).join('\n');
    throw new Error(`${err.message}\n${detail}`);
  }
}

module.exports = { bundleWorkflows, root };
