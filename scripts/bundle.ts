import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * The server as one ES module (and its worker modules beside it), for `npm start` and the
 * `fangtong` bin. Loading ~1,500 small ESM files (Kysely's and TypeBox's builds, our own) took
 * about half of every start-up; one file loads in a fraction of that. Packages that find files
 * next to their own code (swagger-ui's assets, @fastify/static) or are native addons stay
 * outside and load from node_modules as usual. A test drives the bundle as a user would.
 * `fangtong.cjs` beside it is the program itself (the bin, `npm start`): see LAUNCHER.
 */
export async function bundle(outdir: string): Promise<void> {
  const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  // Chunk names carry their content's hash, so a rebuild over the last one would leave every
  // chunk it no longer writes beside the new ones, for good.
  fs.rmSync(path.resolve(root, outdir), { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: [
      'src/main.ts',
      // Started by file name beside the module that starts them (platform/worker-module.ts).
      'src/platform/db/wal-checkpoint.worker.ts',
      'src/platform/db/sqlite-read.worker.ts',
      'src/seed/synthetic-orders.worker.ts',
    ],
    outdir,
    entryNames: '[name]',
    // Each command's modules stay in chunks of their own, loaded when the command runs, so
    // `fangtong help` does not parse the whole server.
    splitting: true,
    // Beside the workers: a chunk that starts one finds it next to itself (platform/worker-module.ts).
    chunkNames: '[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // `cookie` too: @fastify/cookie import()s it and reads named exports that only Node's own
    // CommonJS interop provides.
    external: ['better-sqlite3', 'argon2', 'pg', '@fastify/swagger-ui', '@fastify/static', 'cookie'],
    // The CommonJS packages inside the bundle call require() for Node's own modules.
    banner: {
      js: "import { createRequire as __fangtongRequire } from 'node:module'; const require = __fangtongRequire(import.meta.url);",
    },
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  fs.writeFileSync(path.join(outdir, 'fangtong.cjs'), LAUNCHER, { mode: 0o755 });
}

/**
 * libuv's thread pool runs every file write, fsync and rename, argon2 hash and crypto job; its
 * default of 4 threads queued a parking order's uploads (a write and an fsync per file) behind
 * one another and behind logins (an argon2id hash holds a thread ~50 ms) while the event loop sat
 * idle. The pool is sized when first used, and an ES module entry is read through it before any
 * of its code runs, so the size is set by this CommonJS launcher (read synchronously) before it
 * imports the bundle. An operator's own UV_THREADPOOL_SIZE wins.
 */
const LAUNCHER = `#!/usr/bin/env node
'use strict';
process.env.UV_THREADPOOL_SIZE ??= '16';
import('./main.js');
`;

/**
 * Family 3's H5 page (the h5/escrow workspace, React and antd-mobile) into dist/h5/escrow/, which
 * the server answers at /escrow/accept/:token (src/http/escrow-pages.route.ts). Vite comes from
 * the workspace's devDependencies, hoisted by the root's `npm ci`.
 */
export async function buildH5(): Promise<void> {
  const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: path.join(root, 'h5/escrow/vite.config.ts'), logLevel: 'warn' });
  // Family 5's page, the same way, into dist/h5/parking/ (src/http/parking-pages.route.ts).
  await viteBuild({ configFile: path.join(root, 'h5/parking/vite.config.ts'), logLevel: 'warn' });
}

/**
 * The staff back office (the web workspace: React, antd, pro-components) into dist/web/, which
 * the server answers at / and at every client route (src/http/backoffice-pages.route.ts).
 */
export async function buildBackoffice(): Promise<void> {
  const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: path.join(root, 'web/vite.config.ts'), logLevel: 'warn' });
}

// `npm ci` (prepare) and `npm run build`: the server bundle, then the pages.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await bundle(process.argv[2] ?? 'dist/bundle');
  await buildH5();
  await buildBackoffice();
}
