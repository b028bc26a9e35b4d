import type { FastifyInstance } from 'fastify';
import type { RawInput } from '../../../core/field-reader.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { ok } from '../envelope.js';
import { IdQuery, TAGS } from './shared.js';

/** GET /user_contract/read: the tenant's contract. */
export function userContractReadRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.get(
    '/user_contract/read',
    { schema: { tags: TAGS, summary: '查看合同', querystring: IdQuery } },
    async (request) => ok(await ctx.modules.leases.readContract(request.query as RawInput)),
  );
}
