import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { ok } from '../envelope.js';
import { answers, readBody, Success, strict, TAGS, typed, Value } from './shared.js';

const Str = (description: string) => Type.String({ description });

export const OrgInfo = Type.Object(
  {
    pmParkOrganizationId: Str('组织机构ID'),
    pmParkId: Str('停车场Id'),
    parkName: Str('停车场名称'),
    name: Str('机构名称'),
    orgCode: Str('机构编码'),
    levelCode: Str('层级编码'),
    parentLevelCode: Str('父级层级编号'),
    level: Str('层级'),
    isLeaf: Str('是否为叶子节点 0是 1否'),
    isUsed: Str('是否启用 0是 1否'),
  },
  strict,
);

/**
 * POST /parking/api/park/organizations (call 4, 查询停车场组织机构): without orgCode the park's
 * first-level orgs; with it, the second level under the first-level org of that code.
 */
export function parkOrganizationsRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).post(
    '/parking/api/park/organizations',
    {
      // Every bad field named at once, the wrong-typed ones among them (readBody).
      attachValidation: true,
      schema: {
        tags: TAGS,
        summary: '查询停车场组织机构',
        body: Type.Object({
          pmParkId: Value(64, '停车场ID'),
          orgCode: Value(64, '一级机构编码 (for the second level)'),
        }),
        response: answers(Success(Type.Array(OrgInfo))),
      },
    },
    async (request) => {
      const r = readBody(request);
      const parkId = r.text('pmParkId', { required: true, max: 64 });
      const orgCode = r.text('orgCode', { max: 64 });
      r.done();
      const { park, orgs } = await ctx.modules.parking.parks.organizations(parkId!, orgCode);
      return ok(
        ctx.clock.now(),
        '操作成功',
        orgs.map((o) => ({
          pmParkOrganizationId: o.id,
          pmParkId: o.park_id,
          parkName: park.name,
          name: o.name,
          orgCode: o.org_code,
          levelCode: o.level_code,
          parentLevelCode: o.parent_level_code ?? '',
          level: String(o.level),
          isLeaf: String(o.is_leaf),
          isUsed: String(o.is_used),
        })),
      );
    },
  );
}
