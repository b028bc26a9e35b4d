import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DomainError, type FieldError } from '../../../core/domain-error.js';
import { fenToYuanString, parseYuan } from '../../../core/money.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { ok } from '../envelope.js';
import { PARKING_PRODUCT_FIELDS } from '../parking-admin-labels.js';
import { PARKING_CONFIG_TAGS, requireParkingStaff } from './api.parking-parks.route.js';
import { backOfficeResponses, typed } from './shared.js';

export const Price = (description: string) =>
  Type.String({ maxLength: 12, description: `${description} (元, at most 2 decimals, e.g. "150.00")` });

export const VersionView = Type.Object({
  id: Type.String({ description: 'productVId' }),
  product_id: Type.String(),
  inside_price: Type.String({ description: '校内价 (元)' }),
  outside_price: Type.String({ description: '校外价 (元)' }),
});

export const presentVersion = (v: {
  id: string;
  product_id: string;
  inside_price_fen: number;
  outside_price_fen: number;
}) => ({
  id: v.id,
  product_id: v.product_id,
  inside_price: fenToYuanString(v.inside_price_fen),
  outside_price: fenToYuanString(v.outside_price_fen),
});

/** Both prices in fen, or a validation error naming each bad one. */
export function readPrices(body: { inside_price: string; outside_price: string }) {
  const errors: FieldError[] = [];
  const read = (field: 'inside_price' | 'outside_price', label: string) => {
    const parsed = parseYuan(body[field]);
    if (!parsed.ok || parsed.value <= 0) {
      errors.push({ field, error: `${label}须为大于0、最多两位小数的金额（元）` });
      return 0;
    }
    return parsed.value;
  };
  const insidePriceFen = read('inside_price', '校内价');
  const outsidePriceFen = read('outside_price', '校外价');
  if (errors.length) throw DomainError.validation(errors);
  return { insidePriceFen, outsidePriceFen };
}

/**
 * POST /api/parking/products: a monthly product of a park (pmSetrentId) with its first prices
 * (productVId): the unit it is bought by (1小时 2天 3周 4月 5年) and whether an order waits for
 * review before it can be paid.
 */
export function apiParkingProductsRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).post(
    '/api/parking/products',
    {
      config: { fieldLabels: PARKING_PRODUCT_FIELDS },
      schema: {
        tags: PARKING_CONFIG_TAGS,
        summary: 'Add a product with its first price version',
        body: Type.Object({
          park_id: Type.String({ minLength: 1, maxLength: 64, description: '停车场Id' }),
          name: Type.String({ minLength: 1, maxLength: 32, description: '产品名称' }),
          unit_type: Type.Union(
            ['1', '2', '3', '4', '5'].map((u) => Type.Literal(u)),
            {
              description: '计数单位 1小时 2天 3周 4月 5年',
            },
          ),
          unit_count: Type.Optional(
            Type.Integer({ minimum: 1, maximum: 1000, description: '每份的单位数 (1)' }),
          ),
          rent_type: Type.Optional(Type.String({ maxLength: 8, description: '产品类型 (1)' })),
          card_type: Type.Optional(
            Type.Union([Type.Literal('1'), Type.Literal('2'), Type.Literal('3')], {
              description: '卡类型 1vip 2业主 3包月车 (3)',
            }),
          ),
          audit_before_pay: Type.Boolean({ description: '支付前审核' }),
          inside_price: Price('校内价'),
          outside_price: Price('校外价'),
        }),
        response: backOfficeResponses(
          Type.Object({
            id: Type.String({ description: 'pmSetrentId / productId' }),
            park_id: Type.String(),
            name: Type.String(),
            unit_type: Type.String(),
            unit_count: Type.Integer(),
            rent_type: Type.String(),
            card_type: Type.String(),
            audit_before_pay: Type.Boolean(),
            version: VersionView,
          }),
        ),
      },
    },
    async (request) => {
      const staff = requireParkingStaff(request);
      const body = request.body;
      const prices = readPrices(body);
      const { product, version } = await ctx.modules.parking.products.create(
        {
          parkId: body.park_id,
          name: body.name.trim(),
          unitType: body.unit_type,
          unitCount: body.unit_count ?? 1,
          rentType: body.rent_type ?? '1',
          cardType: body.card_type ?? '3',
          auditBeforePay: body.audit_before_pay,
          ...prices,
        },
        ctx.clock.now(),
        `staff:${staff.id}`,
      );
      return ok(
        {
          id: product.id,
          park_id: product.park_id,
          name: product.name,
          unit_type: product.unit_type,
          unit_count: product.unit_count,
          rent_type: product.rent_type,
          card_type: product.card_type,
          audit_before_pay: product.audit_before_pay === 1,
          version: presentVersion(version),
        },
        '创建成功',
      );
    },
  );
}
