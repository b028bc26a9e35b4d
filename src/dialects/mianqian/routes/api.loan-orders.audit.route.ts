import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { readSonOrderId } from '../../../modules/loan-orders/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { ok } from '../envelope.js';
import { AuditEntryView } from '../views.js';
import { backOfficeResponses, LOAN_ORDER_TAGS, SonOrderIdParams, shanghaiTime, typed } from './shared.js';

export const AuditResponse = Type.Object({
  audit: Type.Array(
    Type.Object({
      ...AuditEntryView.properties,
      actor_name: Type.Union([Type.String(), Type.Null()], {
        description: "操作人姓名 (a staff actor's display name; null for system and partner actors)",
      }),
    }),
  ),
});

const STAFF_ACTOR = /^staff:(\d+)$/;

/** GET /api/loan-orders/:son_order_id/audit: who moved the order, when, from where to where, why. */
export function apiLoanOrdersAuditRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/loan-orders/:son_order_id/audit',
    {
      schema: {
        tags: LOAN_ORDER_TAGS,
        summary: 'The audit trail of an order: who moved it, when, from where to where, why',
        params: SonOrderIdParams,
        response: backOfficeResponses(AuditResponse),
      },
    },
    async (request) => {
      const sonOrderId = readSonOrderId(request.params);
      const rows = await ctx.modules.loanOrders.auditTrail(sonOrderId);
      const staffIds = rows.map((row) => {
        const id = STAFF_ACTOR.exec(row.actor)?.[1];
        return id === undefined ? undefined : Number(id);
      });
      const names = await ctx.modules.staff.displayNames([
        ...new Set(staffIds.filter((id): id is number => id !== undefined)),
      ]);
      return ok({
        audit: rows.map((row, i) => {
          const id = staffIds[i];
          return {
            ...row,
            id: Number(row.id),
            created_at: shanghaiTime(row.created_at),
            actor_name: id === undefined ? null : (names.get(id) ?? null),
          };
        }),
      });
    },
  );
}
