import { missingArgument } from '../../../platform/top/top-request.js';
import { topList } from '../../../platform/top/top-response.js';
import type { TopMethod } from './top-method.js';

/**
 * tmall.alihouse.trade.order.second.house.get — our extension, documented in docs/escrow.md: an
 * invitation by `house_order_no`, with its state, deadline, terms and every party (masked) with
 * their acceptance URL and answer.
 */
export const getMethod: TopMethod = {
  name: 'tmall.alihouse.trade.order.second.house.get',
  input: (params) =>
    params.house_order_no === undefined
      ? { ok: false, error: missingArgument('house_order_no') }
      : { ok: true, input: { house_order_no: params.house_order_no } },
  run: async (ctx, isv, input, now, signature) => {
    await signature.spend();
    const order = await ctx.modules.escrow.get(isv, input, now);
    const { parties, terms, ...rest } = order;
    return {
      ...rest,
      terms_json: JSON.stringify(terms),
      parties: topList(
        'escrow_party',
        parties.map((party) => ({ ...party })),
      ),
    };
  },
};
