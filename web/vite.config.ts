import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const server = process.env.FANGTONG_URL ?? 'http://127.0.0.1:3000';

/**
 * tslib 2 for the charts: @antv/g2, @antv/component, @antv/scale… import tslib 2's helpers
 * (`__spreadArray`) but list tslib only as a devDependency, so they get the copy hoisted to the
 * root node_modules — tslib 1.13, which tencentcloud-sdk-nodejs-sms pins — and the build fails.
 * tslib is resolved as @antv/g-lite resolves it (it does depend on tslib 2): its nested copy
 * today, the root's once the root holds tslib 2.
 */
const gLite = createRequire(import.meta.url).resolve('@antv/g-lite');
const tslib2 = createRequire(gLite).resolve('tslib/tslib.es6.mjs');

/** A charts package's own file (the package a nested node_modules holds, not its parent's). */
const CHARTS = /\/node_modules\/(@antv|@ant-design\/(charts|plots|graphs))\/(?!.*\/node_modules\/)/;
const chartsOnly = new Map<string, boolean>();

/**
 * Whether a library module is the charts' or is imported only by the charts' modules, however
 * indirectly; a module our own code or another library imports is not. An import cycle counts as
 * the charts' while it is being followed, and what was decided under that assumption is not kept.
 */
function onlyForCharts(
  id: string,
  importersOf: (id: string) => string[],
  following = new Set<string>(),
): boolean {
  if (CHARTS.test(id)) return true;
  const known = chartsOnly.get(id);
  if (known !== undefined) return known;
  if (following.has(id)) return true;
  following.add(id);
  const importers = importersOf(id);
  const only =
    importers.length > 0 &&
    importers.every(
      (importer) => importer.includes('/node_modules/') && onlyForCharts(importer, importersOf, following),
    );
  following.delete(id);
  if (following.size === 0) chartsOnly.set(id, only);
  return only;
}

/**
 * Built into the package's dist/web/ (beside the server bundle, so `npm prune --omit=dev` keeps
 * it); the server answers index.html at / and at every client route, and the hashed files at
 * /assets/* (src/http/backoffice-pages.route.ts).
 */
export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  resolve: { alias: [{ find: /^tslib$/, replacement: tslib2 }] },
  logLevel: 'warn',
  build: {
    outDir: path.join(here, '../dist/web'),
    emptyOutDir: true,
    assetsDir: 'assets',
    // antd with pro-components is ~2.2 MB (~700 KB gzip) in the shared vendor chunk.
    chunkSizeWarningLimit: 2560,
    rollupOptions: {
      output: {
        // The libraries in one chunk every page shares, cached across releases of our own code:
        // split by Rollup, pro-components' modules (which import each other in a circle) would
        // land in chunks that load in the wrong order. Charts, which only dashboards use, apart.
        // The charts' own libraries (d3, html2canvas, styled-components…: any library only the
        // charts import) go with them, or every page would load them in the vendor chunk.
        manualChunks(id, { getModuleInfo }) {
          // Rollup's and Vite's own helpers (\0commonjsHelpers, \0vite/preload-helper) serve every
          // chunk: left to Rollup they may land in the charts and make every page load them. A
          // library's CommonJS wrappers (\0…/node_modules/…?commonjs-proxy) go with the library.
          if (id.startsWith('\0') && !id.includes('/node_modules/')) return 'vendor';
          if (!id.includes('/node_modules/')) return undefined;
          return onlyForCharts(id, (module) => {
            const info = getModuleInfo(module);
            return [...(info?.importers ?? []), ...(info?.dynamicImporters ?? [])];
          })
            ? 'charts'
            : 'vendor';
        },
      },
    },
  },
  server: {
    // `npm run dev -w web` next to `npm start`: the APIs the pages call go to the real server.
    proxy: Object.fromEntries(
      ['/api', '/order_mianqian', '/order_mianshen'].map((prefix) => [prefix, server]),
    ),
  },
});
