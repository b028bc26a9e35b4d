import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { packageRoot } from '../platform/package-root.js';

/** Family 5's API and WeChat login under the page's own prefix: never answered with the page. */
const NOT_THE_PAGE = /^\/parking\/(api|oauth)(\/|$)/;

/**
 * Family 5's H5 page (h5/parking/, built by `npm ci` / `npm run build` into dist/h5/parking/):
 * /parking/ and every client route under it (/parking/bind, /parking/renew/<card id>) answer the
 * same index.html, whose script talks to /parking/api/* with the session cookie that
 * /parking/oauth/authorize sets; the hashed scripts and styles it names are under
 * /parking/assets/. Paths under /parking/api/ and /parking/oauth/ that no route answers stay
 * the family's 404, never the page.
 */
export async function parkingPagesRoute(app: FastifyInstance): Promise<void> {
  const built = path.join(packageRoot(), 'dist', 'h5', 'parking');
  await app.register(async (scope) => {
    // The file names carry a hash of their content, so a browser may keep them.
    await scope.register(fastifyStatic, {
      root: path.join(built, 'assets'),
      prefix: '/parking/assets/',
      decorateReply: false,
      maxAge: '365d',
      immutable: true,
    });
    const page = async (reply: FastifyReply) => {
      // Read per request (it is half a kilobyte): a rebuild names new assets and needs no restart.
      const html = await readFile(path.join(built, 'index.html'), 'utf8').catch(() => undefined);
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
    };
    scope.get('/parking', { schema: { hide: true } }, async (request, reply) => {
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      return reply.redirect(`/parking/${query}`);
    });
    scope.get('/parking/', { schema: { hide: true } }, async (_request, reply) => page(reply));
    scope.get('/parking/*', { schema: { hide: true } }, async (request, reply) => {
      if (NOT_THE_PAGE.test(request.url)) return reply.callNotFound();
      return page(reply);
    });
  });
}
