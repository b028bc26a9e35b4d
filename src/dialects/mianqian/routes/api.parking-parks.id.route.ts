import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { fenToYuanString } from '../../../core/money.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { ok } from '../envelope.js';
import { PARK_FIELDS } from '../parking-admin-labels.js';
import { PARKING_CONFIG_TAGS, ParkIdParams, requireParkingStaff } from './api.parking-parks.route.js';
import { backOfficeResponses, shanghaiTime, typed } from './shared.js';

const Org = {
  name: Type.String(),
  org_code: Type.String(),
  is_used: Type.Integer({ description: '0 使用中 1 停用（规范的编码）' }),
};

const ParkConfigurationView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  created_at: Type.String(),
  orgs: Type.Array(Type.Object({ ...Org, children: Type.Array(Type.Object(Org)) })),
  extras: Type.Array(
    Type.Object({
      name: Type.String(),
      code: Type.String(),
      type: Type.String({ description: '0文本 1图片' }),
      required: Type.Integer(),
    }),
  ),
  products: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      unit_type: Type.String({ description: '1小时 2天 3周 4月 5年' }),
      unit_count: Type.Integer(),
      rent_type: Type.String(),
      card_type: Type.String(),
      audit_before_pay: Type.Integer(),
      active: Type.Integer(),
      version: Type.Union([
        Type.Object({
          id: Type.String(),
          inside_price: Type.String({ description: '校内价（元）' }),
          outside_price: Type.String({ description: '校外价（元）' }),
          created_at: Type.String(),
        }),
        Type.Null(),
      ]),
    }),
  ),
});

/**
 * GET /api/parking/parks/:id: what a park is configured with — both levels of its org tree, its
 * extra items, its products with their current prices — so the back office shows what the
 * configuration routes made (admin or parking).
 */
export function apiParkingParksIdRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/parking/parks/:id',
    {
      config: { fieldLabels: PARK_FIELDS },
      schema: {
        tags: PARKING_CONFIG_TAGS,
        summary: "A park's org tree, extra items and products with their current prices",
        params: ParkIdParams,
        response: backOfficeResponses(ParkConfigurationView),
      },
    },
    async (request) => {
      requireParkingStaff(request);
      const { park, orgs, extras, products } = await ctx.modules.parking.parks.configuration(
        request.params.id,
      );
      const org = (o: { name: string; org_code: string; is_used: number }) => ({
        name: o.name,
        org_code: o.org_code,
        is_used: o.is_used,
      });
      return ok({
        id: park.id,
        name: park.name,
        created_at: shanghaiTime(park.created_at) ?? '',
        orgs: orgs.map((o) => ({ ...org(o), children: o.children.map(org) })),
        extras: extras.map((e) => ({ name: e.name, code: e.code, type: e.type, required: e.required })),
        products: products.map((p) => ({
          id: p.id,
          name: p.name,
          unit_type: p.unit_type,
          unit_count: p.unit_count,
          rent_type: p.rent_type,
          card_type: p.card_type,
          audit_before_pay: p.audit_before_pay,
          active: p.active,
          version: p.version && {
            id: p.version.id,
            inside_price: fenToYuanString(p.version.inside_price_fen),
            outside_price: fenToYuanString(p.version.outside_price_fen),
            created_at: shanghaiTime(p.version.created_at) ?? '',
          },
        })),
      });
    },
  );
}
