import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { packageRoot } from '../platform/package-root.js';

/**
 * First path segments that belong to an API, a family, another page or the server itself: an
 * unknown URL under them is that owner's 404, never the back office. Every route's first segment
 * is one of these (src/dialects/<family>/index.ts and the routes src/app.ts registers).
 */
const NOT_THE_PAGE = new Set([
  'api',
  'order_mianqian',
  'order_mianshen',
  'user_auth',
  'user_contract',
  'user_order',
  'partner',
  'router',
  'escrow',
  'parking',
  'payments',
  'sms',
  'dev',
  'docs',
  'healthz',
  'assets',
]);

/**
 * The staff back office (web/, React): built by `npm ci` / `npm run build` into dist/web/. Its
 * hashed scripts are served under /assets/ for a year (their names change with their content);
 * its index.html at / and, through `fallback`, at every client route (/mianqian/orders/…), never
 * cached, so a release is picked up on the next load. The page is read per request (half a
 * kilobyte): a rebuild needs no restart.
 */
export async function backofficePagesRoute(
  app: FastifyInstance,
): Promise<(request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> | undefined> {
  const built = path.join(packageRoot(), 'dist', 'web');
  const page = async (reply: FastifyReply) => {
    const html = await readFile(path.join(built, 'index.html'), 'utf8').catch(() => undefined);
    reply.header('cache-control', 'no-cache');
    if (html === undefined) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(
          '后台页面尚未构建：在项目根目录运行 npm run build (The back office is not built: run npm run build.)',
        );
    }
    return reply.type('text/html; charset=utf-8').send(html);
  };
  await app.register(async (scope) => {
    await scope.register(fastifyStatic, {
      root: path.join(built, 'assets'),
      prefix: '/assets/',
      decorateReply: false,
      maxAge: '365d',
      immutable: true,
    });
    scope.get('/', { schema: { hide: true } }, (_request, reply) => page(reply));
    // The page before this one lived under /app/; its bookmarks land on the new one.
    scope.get('/app', { schema: { hide: true } }, (_request, reply) => reply.redirect('/'));
    scope.get('/app/*', { schema: { hide: true } }, (_request, reply) => reply.redirect('/'));
  });
  // A browser opening a client route (it asks for HTML) outside every API gets the page, whose
  // router shows the route; anything else falls through to the family's or the neutral 404.
  return (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
    if (!request.headers.accept?.includes('text/html')) return undefined;
    const first = request.url.split(/[/?#]/)[1] ?? '';
    return NOT_THE_PAGE.has(first) ? undefined : page(reply);
  };
}
