import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { parsePlateList } from '../../../modules/parking/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentOpenId } from '../auth.js';
import { done } from '../envelope.js';
import { answers, Done, readBody, TAGS, typed, Value } from './shared.js';

/**
 * POST /parking/api/car-nums/add (call 9, 增加车牌号: each plate by GA 36, one user per plate in the park, at most PARKING_MAX_PLATES (5) a user; each added with channel 9 (online).
 * Plates are comma-separated; the user must be the caller's own (else 用户不存在).
 */
export function carNumsAddRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).post(
    '/parking/api/car-nums/add',
    {
      // Every bad field named at once, the wrong-typed ones among them (readBody).
      attachValidation: true,
      schema: {
        tags: TAGS,
        summary: '增加车牌号',
        body: Type.Object({
          addCarNums: Value(200, '车牌号，多个以逗号分隔'),
          userInfoId: Value(64, '用户Id'),
        }),
        response: answers(Done),
      },
    },
    async (request) => {
      const r = readBody(request);
      const text = r.text('addCarNums', { required: true, max: 200 });
      const userId = r.text('userInfoId', { required: true, max: 64 });
      let carNums: string[] = [];
      if (text !== undefined) {
        try {
          carNums = parsePlateList(text, 'addCarNums');
        } catch (error) {
          const field = (error as { fields?: ReadonlyArray<{ error: string }> }).fields?.[0];
          r.fail('addCarNums', field?.error ?? '车牌号格式不正确');
        }
      }
      r.done();
      const now = ctx.clock.now();
      await ctx.modules.parking.users.addPlates(currentOpenId(request), { userId: userId!, carNums }, now);
      return done(now, '提交成功');
    },
  );
}
