import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { ok } from '../envelope.js';
import { answers, IdQuery, Int, Success, strict, TAGS } from './shared.js';

/** The contract offer of an entrusted house (leases' readContract). */
const ContractOffer = Type.Object(
  {
    entrust: Type.Object(
      {
        id: Int('房源id'),
        h_address: Type.String({ description: '房源详细地址' }),
        is_settle: Int('是否结清'),
        water: Type.String({ description: '水表读数' }),
        electric: Type.String({ description: '电表读数' }),
        gas: Type.String({ description: '气表读数' }),
        s_phone: Type.String({ description: '监督电话' }),
        facility: Type.Unknown({
          description:
            '房间设施: the JSON object stored with the house, as the spec shows it (cost, net_cost, facility …)',
        }),
        other: Type.String({ description: '其他说明' }),
      },
      strict,
    ),
    sale: Type.Object(
      {
        name: Type.String({ description: '经办人姓名' }),
        phone: Type.String({ description: '经办人手机号' }),
        title: Type.String({ description: '门店名' }),
        store_name: Type.String({ description: '店长姓名' }),
        store_phone: Type.String({ description: '店长电话' }),
      },
      strict,
    ),
    house: Type.Object(
      {
        h_l_rent: Int('月租（分）'),
        is_all_pay: Int('是否全付'),
        name: Type.String({ description: '付款方式' }),
        rent: Int('付几个月（全付为0）'),
        bet: Int('押几个月'),
      },
      strict,
    ),
  },
  strict,
);

/** GET /user_contract/read: the tenant's contract. */
export function userContractReadRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/user_contract/read',
    {
      schema: {
        tags: TAGS,
        summary: '查看合同',
        querystring: IdQuery,
        response: answers(Success(ContractOffer)),
      },
    },
    async (request) => ok(await ctx.modules.leases.readContract(request.query)),
  );
}
