import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { parsePlateList } from '../../../modules/parking/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentOpenId } from '../auth.js';
import { done } from '../envelope.js';
import { answers, Done, readBody, TAGS, typed, Value } from './shared.js';

/**
 * POST /parking/api/car-nums/delete (call 10, 删除车牌号: only plates the user added online (channel 9), as the spec says; every other plate named in the refusal.
 * Plates are comma-separated; the user must be the caller's own (else 用户不存在).
 */
export function carNumsDeleteRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).post(
    '/parking/api/car-nums/delete',
    {
      // Every bad field named at once, the wrong-typed ones among them (readBody).
      attachValidation: true,
      schema: {
        tags: TAGS,
        summary: '删除车牌号',
        body: Type.Object({
          delCarNums: Value(200, '车牌号，多个以逗号分隔'),
          userInfoId: Value(64, '用户Id'),
        }),
        response: answers(Done),
      },
    },
    async (request) => {
      const r = readBody(request);
      const text = r.text('delCarNums', { required: true, max: 200 });
      const userId = r.text('userInfoId', { required: true, max: 64 });
      let carNums: string[] = [];
      if (text !== undefined) {
        try {
          carNums = parsePlateList(text, 'delCarNums');
        } catch (error) {
          const field = (error as { fields?: ReadonlyArray<{ error: string }> }).fields?.[0];
          r.fail('delCarNums', field?.error ?? '车牌号格式不正确');
        }
      }
      r.done();
      const now = ctx.clock.now();
      await ctx.modules.parking.users.deletePlates(currentOpenId(request), { userId: userId!, carNums }, now);
      return done(now, '提交成功');
    },
  );
}
