import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { BLACKLIST_FIELDS } from '../back-office-labels.js';
import { type CursorPageSize, cursorQuery, NextBeforeId, readCursorPage } from '../cursor-page.js';
import { ok } from '../envelope.js';
import { BlacklistEntryView } from '../views.js';
import { backOfficeResponses, PARTNER_TAGS, shanghaiTime, typed } from './shared.js';

export const BlacklistRequest = Type.Object({
  id_card: Type.String({ maxLength: 18, description: BLACKLIST_FIELDS.id_card }),
  mobile: Type.Optional(Type.String({ maxLength: 20, description: BLACKLIST_FIELDS.mobile })),
  reason: Type.String({ maxLength: 200, description: BLACKLIST_FIELDS.reason }),
});

export const BlacklistResponse = Type.Object({
  entries: Type.Array(BlacklistEntryView),
  next_before_id: NextBeforeId,
});

/** The list answered its newest 500 before it paged: that stays its default (and its largest page). */
const BLACKLIST_PAGE_SIZE: CursorPageSize = { default: 500, max: 500 };

/**
 * GET /api/partner-blacklist lists entries (hashes only), newest first: the newest 500 unless
 * paged with `page_size` and `before_id` (the last answer's next_before_id). POST blacklists a
 * person. Admin only.
 */
export function apiPartnerBlacklistRoute(app: FastifyInstance, ctx: DialectContext): void {
  const api = typed(app);
  api.get(
    '/api/partner-blacklist',
    {
      schema: {
        tags: PARTNER_TAGS,
        summary: 'Blacklist entries (hashes only), newest first',
        querystring: cursorQuery(BLACKLIST_PAGE_SIZE),
        response: backOfficeResponses(BlacklistResponse),
      },
    },
    async (request) => {
      const { rows, next_before_id } = await readCursorPage(
        request.query,
        (limit, beforeId) => ctx.modules.partner.blacklist(limit, beforeId),
        BLACKLIST_PAGE_SIZE,
      );
      return ok({
        entries: rows.map((e) => ({ ...e, created_at: shanghaiTime(e.created_at) })),
        next_before_id,
      });
    },
  );

  api.post(
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
        request.body,
        ctx.clock.now(),
        `staff:${currentStaff(request).id}`,
      );
      return ok(null, '已加入黑名单');
    },
  );
}
