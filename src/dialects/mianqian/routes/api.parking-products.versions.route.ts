import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { ok } from '../envelope.js';
import { PARKING_PRODUCT_FIELDS } from '../parking-admin-labels.js';
import { PARKING_CONFIG_TAGS, requireParkingStaff } from './api.parking-parks.route.js';
import { Price, presentVersion, readPrices, VersionView } from './api.parking-products.route.js';
import { backOfficeResponses, typed } from './shared.js';

/**
 * POST /api/parking/products/:id/versions: new prices, a new productVId current from now on; an
 * order must name the current version (one placed on the old prices is refused).
 */
export function apiParkingProductsVersionsRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).post(
    '/api/parking/products/:id/versions',
    {
      config: { fieldLabels: PARKING_PRODUCT_FIELDS },
      schema: {
        tags: PARKING_CONFIG_TAGS,
        summary: 'New prices for a product (a new version, current from now on)',
        params: Type.Object({ id: Type.String({ maxLength: 64, description: 'pmSetrentId' }) }),
        body: Type.Object({ inside_price: Price('校内价'), outside_price: Price('校外价') }),
        response: backOfficeResponses(VersionView),
      },
    },
    async (request) => {
      const staff = requireParkingStaff(request);
      const version = await ctx.modules.parking.products.addVersion(
        request.params.id,
        readPrices(request.body),
        ctx.clock.now(),
        `staff:${staff.id}`,
      );
      return ok(presentVersion(version), '创建成功');
    },
  );
}
