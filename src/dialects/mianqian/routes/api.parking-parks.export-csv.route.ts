import type { FastifyInstance } from 'fastify';
import {
  PARKING_UNIT_LABELS,
  type ParkingUnitType,
  type ParkProductRow,
} from '../../../modules/parking/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { beijingTime, type CsvColumn, csvResponses, sendCsv, yuan } from '../csv-export.js';
import { PARKING_CONFIG_TAGS, requireParkingStaff } from './api.parking-parks.route.js';
import { typed } from './shared.js';

const COLUMNS: readonly CsvColumn<ParkProductRow>[] = [
  { header: '停车场ID', cell: (row) => row.park.id },
  { header: '停车场名称', cell: (row) => row.park.name },
  { header: '停车场创建时间', cell: (row) => beijingTime(row.park.created_at) },
  { header: '产品ID', cell: (row) => row.product?.id },
  { header: '产品名称', cell: (row) => row.product?.name },
  {
    header: '计费单位',
    cell: (row) =>
      row.product &&
      `${row.product.unit_count}${PARKING_UNIT_LABELS[row.product.unit_type as ParkingUnitType] ?? ''}`,
  },
  { header: '支付前审核', cell: (row) => row.product && (row.product.audit_before_pay ? '是' : '否') },
  { header: '状态', cell: (row) => row.product && (row.product.active ? '在售' : '已停售') },
  { header: '当前价格版本', cell: (row) => row.version?.id },
  { header: '校内价（元）', cell: (row) => row.version && yuan(row.version.inside_price_fen) },
  { header: '校外价（元）', cell: (row) => row.version && yuan(row.version.outside_price_fen) },
  { header: '价格生效时间', cell: (row) => beijingTime(row.version?.created_at) },
];

/**
 * GET /api/parking/parks/export.csv: every park with each of its products and the product's
 * current prices, a row per product (a park without products has one row of its own), by park id.
 * Admin or parking.
 */
export function apiParkingParksExportCsvRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/parking/parks/export.csv',
    {
      schema: {
        tags: PARKING_CONFIG_TAGS,
        summary: 'Parks with their products and current prices as CSV',
        response: csvResponses,
      },
    },
    async (request, reply) => {
      requireParkingStaff(request);
      return sendCsv(reply, {
        filename: '停车场与产品.csv',
        columns: COLUMNS,
        page: ctx.modules.parking.parks.exportPages(),
      });
    },
  );
}
