import { invalidArgument, missingArgument } from '../../../platform/top/top-request.js';
import { jsonParameter, type TopMethod } from './top-method.js';

/** tmall.alihouse.trade.order.second.house.operate: CREATE or MODIFY an invitation (spec 3). */
export const operateMethod: TopMethod = {
  name: 'tmall.alihouse.trade.order.second.house.operate',
  input: (params) => jsonParameter(params, 'operate_request', missingArgument, invalidArgument),
  run: async (ctx, isv, input, now, signature) => {
    const answer = await ctx.modules.escrow.operate(isv, input, now, signature);
    return {
      template_id: answer.template_id,
      house_order_no: answer.house_order_no,
      buyer_url: answer.buyer_url,
      landlord_url: answer.landlord_url,
      store_id: answer.store_id,
    };
  },
};
