import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentOpenId } from '../auth.js';
import { done } from '../envelope.js';
import { answers, Done, readBody, TAGS, typed, Value } from './shared.js';

/**
 * POST /parking/api/user/update (call 3, 修改用户信息): the caller's own name and phone. A new
 * phone needs `phoneCode`, a code sent to that new phone (call 8), beyond the spec's fields.
 */
export function userUpdateRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).post(
    '/parking/api/user/update',
    {
      // Every bad field named at once, the wrong-typed ones among them (readBody).
      attachValidation: true,
      schema: {
        tags: TAGS,
        summary: '修改用户信息',
        body: Type.Object({
          pmSetrentUserinfoId: Value(64, '用户ID'),
          name: Value(32, '用户名'),
          phone: Value(20, '用户手机号'),
          phoneCode: Value(8, '新手机号的验证码 (only when the phone changes)'),
        }),
        response: answers(Done),
      },
    },
    async (request) => {
      const r = readBody(request);
      const userId = r.text('pmSetrentUserinfoId', { required: true, max: 64 });
      const name = r.text('name', { max: 20 });
      const phone = r.mobile('phone');
      const phoneCode = r.text('phoneCode', { max: 8 });
      if (phoneCode !== undefined && !/^\d{4,6}$/.test(phoneCode)) r.fail('phoneCode', '验证码格式不正确');
      if (name === undefined && phone === undefined && !r.failed('name') && !r.failed('phone')) {
        r.fail('name', '请填写要修改的用户名或手机号');
      }
      r.done();
      const now = ctx.clock.now();
      await ctx.modules.parking.users.update(
        currentOpenId(request),
        { userId: userId!, name, phone, phoneCode },
        now,
      );
      return done(now, '操作成功');
    },
  );
}
