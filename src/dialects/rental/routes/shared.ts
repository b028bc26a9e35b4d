import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PayAnswer } from '../../../modules/leases/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';

/** What several family-2 route files share: tags, field schemas and the pay helpers. */

/** One route file per endpoint; each registers its route on the scope it is given. */
export type RouteFile = (app: FastifyInstance, ctx: DialectContext) => void;

export const TAGS = ['Rental app (family 2)'];
export const Value = (maxLength = 64) =>
  Type.Optional(Type.Union([Type.String({ maxLength }), Type.Number()]));
export const IdQuery = Type.Object({ id: Value(11) });
export const PayBody = Type.Object(
  { id: Value(11), payment_method: Value(11), is_d_deposit: Value(11), u_p_id: Value(11) },
  { additionalProperties: true },
);

export const payContext = (ctx: DialectContext, request: FastifyRequest) => ({
  now: ctx.clock.now(),
  clientIp: request.ip,
});

/** The spec shows the deposit-covered answer with a string id and the WeChat one with a number. */
export function presentPay(answer: PayAnswer) {
  if (answer.paidByDeposit) return { id: String(answer.id) };
  const { paidByDeposit: _, ...params } = answer;
  return params;
}
