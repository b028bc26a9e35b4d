import type { FastifyInstance } from 'fastify';
import { h5Page } from './h5-page.js';

/** Family 5's API and WeChat login under the page's own prefix: never answered with the page. */
const NOT_THE_PAGE = /^\/parking\/(api|oauth)(\/|$)/;

/**
 * Family 5's H5 page (h5/parking/): /parking/ and every client route under it (/parking/bind,
 * /parking/renew/<card id>) answer the same index.html, whose script talks to /parking/api/*
 * with the session cookie that /parking/oauth/authorize sets. Paths under /parking/api/ and
 * /parking/oauth/ that no route answers stay the family's 404, never the page.
 */
export async function parkingPagesRoute(app: FastifyInstance): Promise<void> {
  await app.register(async (scope) => {
    const page = await h5Page(scope, 'parking');
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
