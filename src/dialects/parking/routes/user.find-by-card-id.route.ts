import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentCaller } from '../auth.js';
import { ok } from '../envelope.js';
import {
  answers,
  presentUserWithPlates,
  readBody,
  Success,
  TAGS,
  typed,
  UserInfoWithPlates,
  Value,
} from './shared.js';

/**
 * POST /parking/api/user/find-by-card-id (call 2, 根据卡Id查询用户和卡信息): the caller's user with
 * that one card, its plates, and canRePay "0" when the card may be renewed now ("1" while an
 * order of it is open, or its product is withdrawn). Another's card answers 卡不存在.
 */
export function userFindByCardIdRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).post(
    '/parking/api/user/find-by-card-id',
    {
      // Every bad field named at once, the wrong-typed ones among them (readBody).
      attachValidation: true,
      config: { parkingSessionInRead: true },
      schema: {
        tags: TAGS,
        summary: '根据卡Id查询用户和卡信息',
        body: Type.Object({ omPrCardId: Value(64, '卡Id') }),
        response: answers(
          Success(UserInfoWithPlates, {
            canRePay: Type.String({ description: '是否可以续费 0可以 1不可以' }),
          }),
        ),
      },
    },
    async (request) => {
      const r = readBody(request);
      const cardId = r.text('omPrCardId', { required: true, max: 64 });
      r.done();
      const now = ctx.clock.now();
      const view = await ctx.modules.parking.users.findByCardId(currentCaller(request), cardId!, now);
      const card = view.cards[0];
      const canRePay = card && !card.hasOpenOrder && card.product?.active === 1 ? '0' : '1';
      return ok(now, '查询成功', presentUserWithPlates(view), { canRePay });
    },
  );
}
