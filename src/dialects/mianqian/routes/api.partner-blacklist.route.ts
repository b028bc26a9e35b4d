import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { RawInput } from '../../../core/field-reader.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { backOfficeResponses, PARTNER_TAGS, shanghaiTime } from './shared.js';

export const BlacklistRequest = Type.Object({
  id_card: Type.String({ maxLength: 18 }),
  mobile: Type.Optional(Type.String({ maxLength: 20 })),
  reason: Type.String({ maxLength: 200 }),
});

/** GET /api/partner-blacklist lists entries (hashes only); POST blacklists a person. Admin only. */
export function apiPartnerBlacklistRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.get(
    '/api/partner-blacklist',
    {
      schema: {
        tags: PARTNER_TAGS,
        summary: 'Blacklist entries (hashes only)',
        response: backOfficeResponses(),
      },
    },
    async () =>
      ok({
        entries: (await ctx.modules.partner.blacklist()).map((e) => ({
          ...e,
          created_at: shanghaiTime(e.created_at),
        })),
      }),
  );

  app.post(
    '/api/partner-blacklist',
    {
      schema: {
        tags: PARTNER_TAGS,
        summary: 'Blacklist a person by ID number (and mobile, to match the marketplace md5)',
        body: BlacklistRequest,
        response: backOfficeResponses(),
      },
    },
    async (request) => {
      await ctx.modules.partner.addToBlacklist(
        request.body as RawInput,
        ctx.clock.now(),
        `staff:${currentStaff(request).id}`,
      );
      return ok(null, '已加入黑名单');
    },
  );
}
