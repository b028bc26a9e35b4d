import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { CursorQuery, NextBeforeId, readCursorPage } from '../cursor-page.js';
import { ok } from '../envelope.js';
import { ISV_TAGS } from './api.escrow-isvs.route.js';
import { backOfficeResponses, shanghaiTime, typed } from './shared.js';

const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);

export const NotificationsQuery = Type.Object({
  status: Type.Optional(
    Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('dead')], {
      description: '状态：pending, delivered, dead',
    }),
  ),
});

const NotificationView = Type.Object({
  id: Type.Integer(),
  notify_id: Type.String(),
  house_order_no: Type.String(),
  event: Type.String(),
  state: Type.String(),
  data: Type.Record(Type.String(), Scalar),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('dead')]),
  attempts: Type.Integer(),
  next_attempt_at: Type.Union([Type.String(), Type.Null()]),
  last_error: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  delivered_at: Type.Union([Type.String(), Type.Null()]),
});

const NotificationsListQuery = Type.Object({ ...NotificationsQuery.properties, ...CursorQuery.properties });

/**
 * GET /api/escrow-notifications: the notifications to the ISVs with their attempts, newest first:
 * the newest 100 unless paged with `page_size` and `before_id` (the last answer's
 * next_before_id). Admin only.
 */
export function apiEscrowNotificationsRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/escrow-notifications',
    {
      schema: {
        tags: ISV_TAGS,
        summary: 'Notifications to the ISVs with their attempts (status: pending | delivered | dead)',
        querystring: NotificationsListQuery,
        response: backOfficeResponses(
          Type.Object({ notifications: Type.Array(NotificationView), next_before_id: NextBeforeId }),
        ),
      },
    },
    async (request) => {
      const { rows, next_before_id } = await readCursorPage(request.query, (limit, beforeId) =>
        ctx.modules.escrow.notifications(request.query.status, limit, beforeId),
      );
      return ok({
        notifications: rows.map((n) => ({
          ...n,
          data: n.data as Record<string, string | number | boolean | null>,
          next_attempt_at: n.status === 'pending' ? shanghaiTime(n.next_attempt_at) : null,
          created_at: shanghaiTime(n.created_at) ?? '',
          delivered_at: shanghaiTime(n.delivered_at),
        })),
        next_before_id,
      });
    },
  );
}
