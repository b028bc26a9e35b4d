import type { FastifyInstance } from 'fastify';
import type { RawInput } from '../../../core/field-reader.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { ANY, backOfficeResponses, PARTNER_TAGS } from './shared.js';

/** GET /api/partner-rules reads the admission rules and product; PUT replaces them. Admin only. */
export function apiPartnerRulesRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.get(
    '/api/partner-rules',
    {
      schema: {
        tags: PARTNER_TAGS,
        summary: 'The admission rules and product in force',
        response: backOfficeResponses(),
      },
    },
    async () => ok(await ctx.modules.partner.rules()),
  );

  app.put(
    '/api/partner-rules',
    {
      schema: {
        tags: PARTNER_TAGS,
        summary: 'Replace the admission rules and product',
        body: ANY,
        response: backOfficeResponses(),
      },
    },
    async (request) =>
      ok(
        await ctx.modules.partner.saveRules(
          request.body as RawInput,
          ctx.clock.now(),
          `staff:${currentStaff(request).id}`,
        ),
        '保存成功',
      ),
  );
}
