import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { CSV_PAGE_ROWS, csvField, sendCsv } from '../../../src/dialects/mianqian/csv-export.js';
import { csvRows } from '../../helpers/csv.js';
import { bearer, body, startTestApp, type TestApp } from '../../helpers/test-app.js';

/** Loan orders straight into the table: the export reads rows, however they were made. */
async function insertOrders(t: TestApp, count: number, desk: string, createdAt: (i: number) => number) {
  const rows = Array.from({ length: count }, (_, i) => ({
    son_order_id: `99${String(i).padStart(11, '0')}`,
    order_type: 1,
    city: i % 2 ? '上海市' : '北京市',
    stage: desk as 'kefu',
    state: 'open' as const,
    desk: desk as 'kefu',
    customer_name: `客户${i}`,
    created_at: createdAt(i),
    updated_at: createdAt(i),
  }));
  for (let i = 0; i < rows.length; i += 400) {
    await t.db.kysely
      .insertInto('loan_orders')
      .values(rows.slice(i, i + 400))
      .execute();
  }
}

describe('csvField', () => {
  it('quotes commas, quotes and line breaks, and keeps formulas as text', () => {
    assert.equal(csvField('王小二'), '王小二');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('说"好"'), '"说""好"""');
    assert.equal(csvField('一\n二'), '"一\n二"');
    assert.equal(csvField('=1+1'), "'=1+1");
    assert.equal(csvField('-"x",'), `"'-""x"","`);
    assert.equal(csvField(-12), '-12');
    assert.equal(csvField(null), '');
  });
});

describe('sendCsv', () => {
  it('reads the next page only as the client takes the text (backpressure)', async () => {
    const PAGES = 200;
    let pagesRead = 0;
    const app = Fastify();
    app.get('/export.csv', (_request, reply) =>
      sendCsv(reply, {
        filename: 'big.csv',
        columns: [{ header: 'n', cell: (row: { n: number }) => `${row.n}${'x'.repeat(1_000)}` }],
        page: async (after, limit) => {
          pagesRead += 1;
          const start = after === undefined ? 0 : after.n + 1;
          if (start >= PAGES * limit) return [];
          return Array.from({ length: limit }, (_, i) => ({ n: start + i }));
        },
      }),
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as AddressInfo;
      const response = await new Promise<http.IncomingMessage>((resolve) =>
        http.get({ port, path: '/export.csv' }, resolve),
      );
      // Take the first bytes, then stop reading as a slow client would.
      await new Promise((resolve) => response.once('data', resolve));
      response.pause();
      await new Promise((resolve) => setTimeout(resolve, 300));
      // 200 pages of 1 MB would all be read by now without backpressure; socket buffers hold a few.
      assert.ok(pagesRead < 20, `pages read while the client waited: ${pagesRead} of ${PAGES}`);
      response.destroy();
    } finally {
      await app.close();
    }
    assert.equal(CSV_PAGE_ROWS, 1_000);
  });
});

describe('GET /api/loan-orders/export.csv', () => {
  let t: TestApp;
  let kefu: string;
  let mianqian: string;
  const exportCsv = (query: string, token?: string) =>
    t.app.inject({
      url: `/api/loan-orders/export.csv?${query}`,
      ...(token ? { headers: bearer(token) } : {}),
    });

  before(async () => {
    t = await startTestApp();
    kefu = await t.tokenFor('kefu');
    mianqian = await t.tokenFor('mianqian');
    for (const [name, city] of [
      ['张三,"老张"\n二号', '北京市'],
      ['李四', '上海市'],
    ] as const) {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/loan-orders',
        headers: bearer(kefu),
        payload: {
          order_type: 0,
          city,
          appointment_time: '2024-06-02 10:00:00',
          customer_name: name,
          user_realname: '迟兴旺',
          user_mobile: '13911112222',
        },
      });
      assert.equal(body(created).code, 1, created.body);
      t.clock.advance(60_000);
    }
  });
  after(() => t.close());

  it('answers the desk with Chinese headers, masked mobiles, Beijing times and escaped values', async () => {
    const rows = csvRows(await exportCsv('stage=kefu', kefu), '贷款订单-客服.csv');
    assert.deepEqual(rows[0], [
      '订单号',
      '客户姓名',
      '客户电话',
      '中介姓名',
      '中介电话',
      '城市',
      '房产地址',
      '驳回',
      '预约时间',
      '面审时间',
      '面签时间',
      '创建时间',
    ]);
    assert.equal(rows.length, 3);
    // Newest first, as the list.
    assert.deepEqual(rows[1]!.slice(1), [
      '李四',
      '',
      '迟兴旺',
      '13911112***',
      '上海市',
      '上海市',
      '否',
      '2024-06-02 10:00:00',
      '',
      '',
      '2024-06-01 10:01:00',
    ]);
    assert.equal(rows[2]![1], '张三,"老张"\n二号');
    assert.equal(rows[2]![5], '北京市');
  });

  it('applies the desk filters', async () => {
    const rows = csvRows(
      await exportCsv('stage=kefu&city_key=%E5%8C%97%E4%BA%AC%E5%B8%82', kefu),
      '贷款订单-客服.csv',
    );
    assert.deepEqual(
      rows.slice(1).map((r) => r[5]),
      ['北京市'],
    );
    const nobody = csvRows(await exportCsv('stage=kefu&user_mobile=13900000000', kefu), '贷款订单-客服.csv');
    assert.equal(nobody.length, 1, 'only the header row');
    const bohui = csvRows(await exportCsv('stage=kefu&is_bohui=1', kefu), '贷款订单-客服.csv');
    assert.equal(bohui.length, 1);
  });

  it('refuses bad filters by name, in Chinese, in the envelope', async () => {
    const res = await exportCsv(
      'stage=kefu&city_key=广州市&appointment_time=2024-13-01&user_mobile=123',
      kefu,
    );
    assert.equal(res.statusCode, 200);
    const b = body(res);
    assert.equal(b.code, 0);
    assert.deepEqual(b.errors.map((e: { field: string }) => e.field).sort(), [
      'appointment_time',
      'city_key',
      'user_mobile',
    ]);
    assert.ok(b.errors.every((e: { error: string }) => /[\u4e00-\u9fff]/.test(e.error)));
    const stage = body(await exportCsv('stage=boss', kefu));
    assert.equal(stage.code, 0);
    assert.equal(stage.errors[0].field, 'stage');
  });

  it('needs a session (401) and the stage role (403)', async () => {
    const anonymous = await exportCsv('stage=kefu');
    assert.equal(anonymous.statusCode, 401);
    assert.equal(body(anonymous).code, 0);
    const other = await exportCsv('stage=kefu', mianqian);
    assert.equal(other.statusCode, 403);
    assert.equal(body(other).msg, '需要客服权限');
  });

  it('streams a large desk complete and in order, ties on time broken by id', async () => {
    const base = Date.parse('2020-01-01T00:00:00Z');
    // Three orders a millisecond, so pages end inside a run of equal times.
    await insertOrders(t, 5_000, 'quanzheng', (i) => base + Math.floor(i / 3));
    const quanzheng = await t.tokenFor('quanzheng');
    const rows = csvRows(await exportCsv('stage=quanzheng', quanzheng), '贷款订单-权证.csv');
    assert.equal(rows.length, 5_001);
    const expected = Array.from({ length: 5_000 }, (_, i) => `99${String(4_999 - i).padStart(11, '0')}`);
    assert.deepEqual(
      rows.slice(1).map((r) => r[0]),
      expected,
    );
  });
});
