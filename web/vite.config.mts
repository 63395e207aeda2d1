// The single-page app served by the api (src/web/web.module.ts) from dist/web.
// Vite 8 (rolldown + oxc): JSX is compiled by oxc with React's automatic runtime, so no
// @vitejs/plugin-react (its Babel peer dependencies do not resolve with npm 11 here).
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
// `npm run dev:web`: the app on :5173 with hot reload, the API calls sent to a running api.
const API = process.env.DPF_API_URL ?? 'http://127.0.0.1:3000';
const API_PATHS = ['/auth', '/cases', '/inbox', '/followups', '/persons', '/org-units', '/partners', '/staff', '/admin', '/calendar', '/notifications', '/health', '/ready', '/api'];

const outDir = fileURLToPath(new URL('../dist/web', import.meta.url));

/**
 * dist/web is rebuilt in place (no emptyOutDir): a running api keeps serving index.html while a
 * build writes the new one, and pages already open can still load the lazy chunks of the build
 * they started with. Assets of earlier builds are pruned once they are an hour old.
 */
function pruneStaleAssets(): Plugin {
  return {
    name: 'prune-stale-assets',
    apply: 'build',
    writeBundle(_options, bundle) {
      const dir = join(outDir, 'assets');
      const keep = new Set(Object.keys(bundle));
      let files: string[] = [];
      try {
        files = readdirSync(dir);
      } catch {
        return;
      }
      for (const f of files) {
        const file = join(dir, f);
        if (!keep.has(`assets/${f}`) && statSync(file).mtimeMs < Date.now() - 3_600_000) rmSync(file, { force: true });
      }
    },
  };
}

export default defineConfig({
  plugins: [pruneStaleAssets()],
  root: here,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir,
    emptyOutDir: false,
    // No inline scripts or data: modules: the page must run under helmet's CSP (script-src 'self').
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2500,
    sourcemap: false,
    rolldownOptions: {
      // antd marks its modules "use client" (for React Server Components); meaningless in a SPA bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
      output: {
        codeSplitting: {
          groups: [
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)/ },
            { name: 'antd', test: /node_modules[\\/](antd|@ant-design|rc-|@rc-component)/ },
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|scheduler)/ },
          ],
        },
      },
    },
  },
  server: { host: '127.0.0.1', port: 5173, proxy: Object.fromEntries(API_PATHS.map((p) => [p, { target: API, changeOrigin: false }])) },
});
