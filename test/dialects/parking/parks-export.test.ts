import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CSV_PAGE_ROWS } from '../../../src/dialects/mianqian/csv-export.js';
import { csvRows } from '../../helpers/csv.js';
import { bearer, body, startTestApp, type TestApp } from '../../helpers/test-app.js';

const HEADER = [
  '停车场ID',
  '停车场名称',
  '停车场创建时间',
  '产品ID',
  '产品名称',
  '计费单位',
  '支付前审核',
  '状态',
  '当前价格版本',
  '校内价（元）',
  '校外价（元）',
  '价格生效时间',
];

describe('GET /api/parking/parks/export.csv: every park with its products and current prices', () => {
  let t: TestApp;
  let staff: Record<string, string>;

  before(async () => {
    t = await startTestApp();
    staff = bearer(await t.tokenFor('parking'));
  });
  after(() => t.close());

  const api = (method: 'GET' | 'POST', url: string, payload?: object, headers = staff) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const exported = (headers = staff) => api('GET', '/api/parking/parks/export.csv', undefined, headers);

  it('refuses staff without the parking or admin role, in the back office envelope', async () => {
    const res = await exported(bearer(await t.tokenFor('kefu')));
    assert.equal(res.statusCode, 403);
    assert.deepEqual(body(res), { code: 0, errors: [], msg: '需要停车管理权限' });
  });

  it('a row per product with the current prices; a park without products has its own row', async () => {
    await api('POST', '/api/parking/parks', { id: 'A-EAST', name: '东区停车场' });
    await api('POST', '/api/parking/parks', { id: 'B-EMPTY', name: '未配置车场' });
    const monthly = body(
      await api('POST', '/api/parking/products', {
        park_id: 'A-EAST',
        name: '包月',
        unit_type: '4',
        audit_before_pay: true,
        inside_price: '100',
        outside_price: '150.5',
      }),
    ).data;
    // Products are listed oldest first.
    t.clock.advance(1000);
    const daily = body(
      await api('POST', '/api/parking/products', {
        park_id: 'A-EAST',
        name: '=日租',
        unit_type: '2',
        audit_before_pay: false,
        inside_price: '5',
        outside_price: '8',
      }),
    ).data;
    t.clock.advance(60_000);
    const newPrice = body(
      await api('POST', `/api/parking/products/${monthly.id}/versions`, {
        inside_price: '120',
        outside_price: '180',
      }),
    ).data;

    const rows = csvRows(await exported(), '停车场与产品.csv');
    assert.deepEqual(rows[0], HEADER);
    assert.deepEqual(rows.slice(1), [
      [
        'A-EAST',
        '东区停车场',
        '2024-06-01 10:00:00',
        monthly.id,
        '包月',
        '1月',
        '是',
        '在售',
        newPrice.id,
        '120.00',
        '180.00',
        '2024-06-01 10:01:01',
      ],
      [
        'A-EAST',
        '东区停车场',
        '2024-06-01 10:00:00',
        daily.id,
        // A name a spreadsheet would run as a formula stays text.
        "'=日租",
        '1天',
        '否',
        '在售',
        daily.version.id,
        '5.00',
        '8.00',
        '2024-06-01 10:00:01',
      ],
      ['B-EMPTY', '未配置车场', '2024-06-01 10:00:00', '', '', '', '', '', '', '', '', ''],
    ]);
  });

  it('pages by park id past one page of parks, each park once', async () => {
    const now = t.clock.now();
    const many = Array.from({ length: CSV_PAGE_ROWS + 5 }, (_, i) => ({
      id: `Z${String(i).padStart(5, '0')}`,
      name: `车场${i}`,
      created_at: now,
    }));
    await t.db.kysely.insertInto('parking_parks').values(many).execute();
    const ids = csvRows(await exported(), '停车场与产品.csv')
      .slice(1)
      .map((row) => row[0]);
    assert.equal(ids.length, CSV_PAGE_ROWS + 5 + 3);
    assert.deepEqual(ids, [...ids].sort());
    assert.equal(new Set(ids).size, ids.length - 1, 'only A-EAST, with two products, has two rows');
  });
});
