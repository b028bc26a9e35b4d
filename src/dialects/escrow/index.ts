import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../shared/dialect-context.js';
import { routerRestRoute } from './router-rest.route.js';

export { topRefusal } from './router-rest.route.js';

/** Family 3: the second-hand-house escrow invitations, over TOP. Its own error handler and envelope. */
export async function escrowDialect(app: FastifyInstance, ctx: DialectContext): Promise<void> {
  routerRestRoute(app, ctx);
}
