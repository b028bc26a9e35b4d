import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../shared/dialect-context.js';
import { escrowPagesApi } from './pages/index.js';
import { routerRestRoute } from './router-rest.route.js';

export { escrowPagesRefusal } from './pages/index.js';
export { topRefusal } from './router-rest.route.js';

/**
 * Family 3: the second-hand-house escrow invitations — the ISVs' TOP gateway and the parties'
 * acceptance pages, each in its own scope with its own error handler and envelope.
 */
export async function escrowDialect(app: FastifyInstance, ctx: DialectContext): Promise<void> {
  await app.register(async (scope) => routerRestRoute(scope, ctx));
  await app.register(async (scope) => escrowPagesApi(scope, ctx));
}
