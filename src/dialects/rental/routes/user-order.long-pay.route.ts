import type { FastifyInstance } from 'fastify';
import type { RawInput } from '../../../core/field-reader.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentTenant } from '../auth.js';
import { ok } from '../envelope.js';
import { PayBody, payContext, presentPay, TAGS } from './shared.js';

/** POST /user_order/longPay: pay a lease installment. */
export function userOrderLongPayRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.post(
    '/user_order/longPay',
    { schema: { tags: TAGS, summary: '长租--去支付', body: PayBody } },
    async (request) =>
      ok(
        presentPay(
          await ctx.modules.leases.payInstallment(
            currentTenant(request),
            request.body as RawInput,
            payContext(ctx, request),
          ),
        ),
      ),
  );
}
