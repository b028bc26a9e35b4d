import type { FastifyInstance } from 'fastify';
import { h5Page } from './h5-page.js';

/**
 * Family 3's H5 page (h5/escrow/): every party's URL /escrow/accept/<token> answers the same
 * index.html, whose script reads the token from the address and talks to
 * /escrow/api/invitations/<token>; the token is the party's credential, hence no cache.
 */
export async function escrowPagesRoute(app: FastifyInstance): Promise<void> {
  await app.register(async (scope) => {
    const page = await h5Page(scope, 'escrow');
    scope.get('/escrow/accept/:token', { schema: { hide: true } }, async (_request, reply) => page(reply));
  });
}
