import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { done } from '../envelope.js';
import { answers, Done, readBody, TAGS, typed, Value } from './shared.js';

/**
 * POST /parking/api/sms/send-code (call 8, 获取手机验证码): a 6-digit code to the phone under the
 * shared SMS rules (5 minutes, single use; 1 a minute, 5 an hour, 10 a day per phone). The
 * answer is the same whether or not the phone belongs to anyone.
 */
export function smsSendCodeRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).post(
    '/parking/api/sms/send-code',
    {
      // Every bad field named at once, the wrong-typed ones among them (readBody).
      attachValidation: true,
      schema: {
        tags: TAGS,
        summary: '获取手机验证码',
        body: Type.Object({ phone: Value(20, '手机号') }),
        response: answers(Done),
      },
    },
    async (request) => {
      const r = readBody(request);
      const phone = r.mobile('phone', { required: true });
      r.done();
      const now = ctx.clock.now();
      await ctx.modules.parking.users.sendCode({ phone: phone!, ip: request.ip }, now);
      return done(now, '获取手机验证码成功');
    },
  );
}
