import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { ok } from '../envelope.js';
import { answers, readBody, Success, strict, TAGS, typed, Value } from './shared.js';

export const ExtraInfo = Type.Object(
  {
    pmSetrentParkExtraId: Type.String({ description: '包月车场额外信息配置ID' }),
    name: Type.String({ description: '信息名称' }),
    code: Type.String({ description: '信息编号' }),
    type: Type.String({ description: '类型 0文本 1图片' }),
  },
  strict,
);

/**
 * POST /parking/api/park/extra-infos (call 5, 查询停车场包月配置额外信息): the extra items a
 * monthly order carries, in the order the order's files follow them.
 */
export function parkExtraInfosRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).post(
    '/parking/api/park/extra-infos',
    {
      // Every bad field named at once, the wrong-typed ones among them (readBody).
      attachValidation: true,
      schema: {
        tags: TAGS,
        summary: '查询停车场包月配置额外信息',
        body: Type.Object({ pmParkId: Value(64, '停车场ID') }),
        response: answers(Success(Type.Array(ExtraInfo))),
      },
    },
    async (request) => {
      const r = readBody(request);
      const parkId = r.text('pmParkId', { required: true, max: 64 });
      r.done();
      const extras = await ctx.modules.parking.parks.extras(parkId!);
      return ok(
        ctx.clock.now(),
        '操作成功',
        extras.map((e) => ({ pmSetrentParkExtraId: e.id, name: e.name, code: e.code, type: e.type })),
      );
    },
  );
}
