import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Built into the package's dist/h5/parking/ (beside the server bundle, so `npm prune --omit=dev`
 * keeps it); the server answers index.html at /parking/ and every client route under it, and the
 * hashed files at /parking/assets/* (src/http/parking-pages.route.ts).
 */
export default defineConfig({
  root: here,
  base: '/parking/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: path.join(here, '../../dist/h5/parking'),
    emptyOutDir: true,
    assetsDir: 'assets',
    // WeChat's built-in browser on older phones: Chrome 87 / iOS 14 Safari.
    target: ['chrome87', 'safari14'],
    chunkSizeWarningLimit: 1024,
  },
  server: {
    // `npm run dev -w h5/parking` next to a server on :3000.
    proxy: {
      '/parking/api': 'http://127.0.0.1:3000',
      '/parking/oauth': 'http://127.0.0.1:3000',
      '/dev': 'http://127.0.0.1:3000',
    },
  },
});
