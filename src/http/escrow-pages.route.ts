import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { packageRoot } from '../platform/package-root.js';

/**
 * Family 3's H5 page (h5/escrow/, built by `npm ci` / `npm run build` into dist/h5/escrow/):
 * every party's URL /escrow/accept/<token> answers the same index.html, whose script reads the
 * token from the address and talks to /escrow/api/invitations/<token>; the hashed scripts and
 * styles it names are under /escrow/assets/.
 */
export async function escrowPagesRoute(app: FastifyInstance): Promise<void> {
  const built = path.join(packageRoot(), 'dist', 'h5', 'escrow');
  await app.register(async (scope) => {
    // The file names carry a hash of their content, so a browser may keep them.
    await scope.register(fastifyStatic, {
      root: path.join(built, 'assets'),
      prefix: '/escrow/assets/',
      decorateReply: false,
      maxAge: '365d',
      immutable: true,
    });
    scope.get('/escrow/accept/:token', { schema: { hide: true } }, async (_request, reply) => {
      // Read per request (it is half a kilobyte): a rebuild names new assets and needs no restart.
      const html = await readFile(path.join(built, 'index.html'), 'utf8').catch(() => undefined);
      // The token is the party's credential: no cache keeps the page, no Referer carries the URL away.
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      if (html === undefined) {
        return reply
          .code(503)
          .type('text/plain; charset=utf-8')
          .send(
            '页面尚未构建：在项目根目录运行 npm run build (The H5 page is not built: run npm run build.)',
          );
      }
      return reply.type('text/html; charset=utf-8').send(html);
    });
  });
}
