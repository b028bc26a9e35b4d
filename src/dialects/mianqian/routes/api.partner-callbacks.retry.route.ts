import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { PartnerCallbackView } from '../views.js';
import { presentCallback } from './api.partner-callbacks.route.js';
import { backOfficeResponses, PARTNER_TAGS, RecordIdParams, typed } from './shared.js';

/**
 * POST /api/partner-callbacks/:id/retry: a failed or given-up callback is due again now (the
 * delivery job sends it on its next run, within 10 s). Admin only; a delivered one is refused.
 */
export function apiPartnerCallbacksRetryRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).post(
    '/api/partner-callbacks/:id/retry',
    {
      schema: {
        tags: PARTNER_TAGS,
        summary: 'Make a failed or dead callback due again now; answers the callback as it now stands',
        params: RecordIdParams,
        response: backOfficeResponses(PartnerCallbackView),
      },
    },
    async (request) => {
      const staff = currentStaff(request);
      const callback = await ctx.modules.partner.retryCallback(
        `staff:${staff.id}`,
        Number(request.params.id),
        ctx.clock.now(),
      );
      return ok(presentCallback(callback), '已重新排队，将立即重试');
    },
  );
}
