import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { PartnerRulesView } from '../views.js';
import { backOfficeResponses, PARTNER_TAGS, typed } from './shared.js';

/** The rules are checked field by field in the module, which names every bad one. */
export const RulesRequest = Type.Object({}, { additionalProperties: true });

/** GET /api/partner-rules reads the admission rules and product; PUT replaces them. Admin only. */
export function apiPartnerRulesRoute(app: FastifyInstance, ctx: DialectContext): void {
  const api = typed(app);
  api.get(
    '/api/partner-rules',
    {
      schema: {
        tags: PARTNER_TAGS,
        summary: 'The admission rules and product in force',
        response: backOfficeResponses(PartnerRulesView),
      },
    },
    async () => ok(await ctx.modules.partner.rules()),
  );

  api.put(
    '/api/partner-rules',
    {
      schema: {
        tags: PARTNER_TAGS,
        summary: 'Replace the admission rules and product',
        body: RulesRequest,
        response: backOfficeResponses(PartnerRulesView),
      },
    },
    async (request) =>
      ok(
        await ctx.modules.partner.saveRules(
          request.body,
          ctx.clock.now(),
          `staff:${currentStaff(request).id}`,
        ),
        '保存成功',
      ),
  );
}
