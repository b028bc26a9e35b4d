import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { BACK_OFFICE_QUERY_FIELDS } from '../back-office-labels.js';
import { CursorQuery, NextBeforeId, readCursorPage } from '../cursor-page.js';
import { ok } from '../envelope.js';
import { PartnerCallbackView } from '../views.js';
import { backOfficeResponses, PARTNER_TAGS, shanghaiTime, typed } from './shared.js';

export const CallbacksQuery = Type.Object({
  status: Type.Optional(
    Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('dead')], {
      description: BACK_OFFICE_QUERY_FIELDS.status,
    }),
  ),
});

type CallbackRow = Awaited<ReturnType<DialectContext['modules']['partner']['callbacks']>>[number];

/** A callback as the admin sees it: its arguments as sent, times in Beijing time. */
export const presentCallback = (row: CallbackRow) => ({
  ...row,
  args: JSON.parse(row.args) as unknown,
  created_at: shanghaiTime(row.created_at),
  delivered_at: shanghaiTime(row.delivered_at),
  next_attempt_at: shanghaiTime(row.next_attempt_at),
});

export const CallbacksResponse = Type.Object({
  callbacks: Type.Array(PartnerCallbackView),
  next_before_id: NextBeforeId,
});

const CallbacksListQuery = Type.Object({ ...CallbacksQuery.properties, ...CursorQuery.properties });

/**
 * GET /api/partner-callbacks: our callbacks to the platform with their attempts, newest first:
 * the newest 100 unless paged with `page_size` and `before_id` (the last answer's
 * next_before_id). Admin only.
 */
export function apiPartnerCallbacksRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/partner-callbacks',
    {
      schema: {
        tags: PARTNER_TAGS,
        summary: 'Callbacks to the platform with their attempts (status: pending | delivered | dead)',
        querystring: CallbacksListQuery,
        response: backOfficeResponses(CallbacksResponse),
      },
    },
    async (request) => {
      const { status } = request.query;
      const { rows, next_before_id } = await readCursorPage(request.query, (limit, beforeId) =>
        ctx.modules.partner.callbacks(status, limit, beforeId),
      );
      return ok({ callbacks: rows.map(presentCallback), next_before_id });
    },
  );
}
