import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { normalizePlate } from '../../../core/plate.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentCaller } from '../auth.js';
import { ok } from '../envelope.js';
import { answers, presentUser, readBody, Success, TAGS, typed, UserInfo, Value } from './shared.js';

export const FindByCarNumBody = Type.Object({
  carNum: Value(16, '车牌号'),
  name: Value(32, '用户名'),
  pmParkId: Value(64, '停车场Id'),
  phone: Value(20, '手机号'),
  duplicateCode: Value(32, '职工工号'),
  phoneCode: Value(
    8,
    '验证码 (not needed when the caller is already bound to this phone and nothing changes)',
  ),
  isOverDuplicate: Value(1, '是否覆盖职工工号 0覆盖 1不覆盖'),
});

/**
 * POST /parking/api/user/find-by-car-num (call 1, 根据车牌号和用户名查询用户和卡信息): proves the
 * phone by its SMS code, finds or makes the user of the park, binds the caller's openId to them,
 * and answers the user with every card. A caller already bound to that phone's user may leave
 * `phoneCode` out when the find would change nothing: the page opened again is one read.
 */
export function userFindByCarNumRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).post(
    '/parking/api/user/find-by-car-num',
    {
      // Every bad field named at once, the wrong-typed ones among them (readBody).
      attachValidation: true,
      config: { parkingSessionInRead: true },
      schema: {
        tags: TAGS,
        summary: '根据车牌号和用户名查询用户和卡信息 (binds the caller)',
        body: FindByCarNumBody,
        response: answers(
          Success(UserInfo, { isOverDuplicate: Type.String({ description: '0覆盖 1不覆盖' }) }),
        ),
      },
    },
    async (request) => {
      const r = readBody(request);
      const carNum = r.text('carNum', { required: true, max: 16 });
      if (carNum !== undefined && !normalizePlate(carNum)) r.fail('carNum', '车牌号格式不正确');
      const name = r.text('name', { required: true, max: 20 });
      const parkId = r.text('pmParkId', { required: true, max: 64 });
      const phone = r.mobile('phone', { required: true });
      const duplicateCode = r.text('duplicateCode', { max: 32 });
      const phoneCode = r.text('phoneCode', { max: 8 });
      if (phoneCode !== undefined && !/^\d{4,6}$/.test(phoneCode)) r.fail('phoneCode', '验证码格式不正确');
      const over = r.raw('isOverDuplicate') ?? '1';
      if (over !== '0' && over !== '1')
        r.fail('isOverDuplicate', '是否覆盖职工工号只能为0（覆盖）或1（不覆盖）');
      r.done();
      const now = ctx.clock.now();
      const view = await ctx.modules.parking.users.findByCarNum(
        currentCaller(request),
        {
          carNum: carNum!,
          name: name!,
          parkId: parkId!,
          phone: phone!,
          phoneCode,
          duplicateCode,
          overwriteDuplicate: over === '0',
        },
        now,
      );
      return ok(now, '查询成功', presentUser(view), { isOverDuplicate: over });
    },
  );
}
