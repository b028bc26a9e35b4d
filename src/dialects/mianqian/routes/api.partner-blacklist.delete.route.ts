import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../../core/domain-error.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { fail, ok } from '../envelope.js';
import { Failure } from '../schemas.js';
import { backOfficeResponses, PARTNER_TAGS, RecordIdParams, typed } from './shared.js';

/**
 * DELETE /api/partner-blacklist/:id: takes a person off the blacklist, audited as the addition
 * is. Admin only. An entry that is not there (never was, or another admin removed it first)
 * answers 404 with the envelope naming `id`: a DELETE of nothing is the one place where the HTTP
 * status, not only the envelope, says the record is missing, so a retried DELETE is told plainly.
 */
export function apiPartnerBlacklistDeleteRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).delete(
    '/api/partner-blacklist/:id',
    {
      schema: {
        tags: PARTNER_TAGS,
        summary: 'Remove a blacklist entry (audited; 404 when there is none)',
        params: RecordIdParams,
        response: { ...backOfficeResponses(), 404: Failure },
      },
    },
    async (request, reply) => {
      try {
        await ctx.modules.partner.removeFromBlacklist(
          Number(request.params.id),
          ctx.clock.now(),
          `staff:${currentStaff(request).id}`,
        );
      } catch (error) {
        if (error instanceof DomainError && error.code === 'not_found')
          return reply.status(404).send(fail(error.message, error.fields));
        throw error;
      }
      return ok(null, '已移出黑名单');
    },
  );
}
