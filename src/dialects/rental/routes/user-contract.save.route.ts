import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { LEASE_CONTRACT_FIELDS } from '../../../modules/leases/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentTenant } from '../auth.js';
import { ok } from '../envelope.js';
import { answers, formSchema, Int, Success, strict, TAGS } from './shared.js';

/** The contract form, field by field as the leases module lists it (label, longest value). */
export const SaveBody = formSchema(LEASE_CONTRACT_FIELDS, { additionalProperties: true });

/** The lease order made: its first installment to pay, and the sums in fen. */
const SavedLease = Type.Object(
  {
    id: Type.String({ description: '订单id' }),
    u_p_id: Type.String({ description: '首期分期付款id' }),
    community: Type.String({ description: '小区' }),
    h_floor: Type.String({ description: '楼层' }),
    unit: Type.String({ description: '单元' }),
    rent: Int('租金（分）'),
    deposit: Int('押金（分）'),
    month: Int('租期（月）'),
    total: Int('合计（分）'),
  },
  strict,
);

/** POST /user_contract/save: complete the contract (the long-term lease order). */
export function userContractSaveRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/user_contract/save',
    {
      schema: {
        tags: TAGS,
        summary: '完善合同(长租下单)',
        body: SaveBody,
        response: answers(Success(SavedLease)),
      },
    },
    async (request) =>
      ok(await ctx.modules.leases.save(currentTenant(request), request.body, ctx.clock.now())),
  );
}
