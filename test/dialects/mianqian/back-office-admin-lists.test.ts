import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { memorySmsProvider } from '../../../src/platform/sms/sms-provider.js';
import { csvRows } from '../../helpers/csv.js';
import { leaseForm } from '../../helpers/lease-form.js';
import { bearer, body, startTestApp, TEST_NOW, type TestApp } from '../../helpers/test-app.js';
import { testDialect } from '../../helpers/test-database.js';

describe(`back office: exports, callback retry, partner calls, escrow orders (${testDialect()})`, () => {
  let t: TestApp;
  let admin: string;
  let kefu: string;
  const sms = memorySmsProvider();
  const get = (url: string, token?: string) =>
    t.app.inject({ url, ...(token ? { headers: bearer(token) } : {}) });
  const retry = (id: number | string, token = admin) =>
    t.app.inject({ method: 'POST', url: `/api/partner-callbacks/${id}/retry`, headers: bearer(token) });

  const callback = (id: number, status: 'pending' | 'delivered' | 'dead', attempts: number) => ({
    id,
    ua: 'UA1',
    call: 'PartnerGate.Order.approveFeedback',
    args: JSON.stringify({ order_id: `P${id}`, approve_message: '审核通过,"好"' }),
    dedupe_key: `k${id}`,
    status,
    attempts,
    next_attempt_at: TEST_NOW + 60_000,
    last_error: attempts ? 'HTTP 502' : null,
    created_at: TEST_NOW - id,
    delivered_at: status === 'delivered' ? TEST_NOW : null,
  });

  before(async () => {
    // The demo holds the parks, cards and users parking orders belong to, and an escrow ISV.
    t = await startTestApp({ demo: true, sms });
    admin = await t.tokenFor('admin');
    kefu = await t.tokenFor('kefu');
    await t.db.kysely
      .insertInto('partner_callbacks')
      .values([
        callback(1, 'dead', 9),
        callback(2, 'pending', 3),
        callback(3, 'delivered', 1),
        callback(4, 'pending', 0),
      ])
      .execute();
  });
  after(() => t.close());

  describe('POST /api/partner-callbacks/:id/retry', () => {
    it('makes a dead callback due now, with an audit row, and answers it as it stands', async () => {
      const res = body(await retry(1));
      assert.equal(res.code, 1, JSON.stringify(res));
      assert.equal(res.msg, '已重新排队，将立即重试');
      assert.equal(res.data.status, 'pending');
      assert.equal(res.data.attempts, 9);
      assert.equal(res.data.last_error, 'HTTP 502');
      assert.equal(res.data.next_attempt_at, '2024-06-01 10:00:00');
      assert.deepEqual(res.data.args, { order_id: 'P1', approve_message: '审核通过,"好"' });
      const row = await t.db.kysely
        .selectFrom('partner_callbacks')
        .select(['status', 'next_attempt_at'])
        .where('id', '=', 1)
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        { ...row, next_attempt_at: Number(row.next_attempt_at) },
        {
          status: 'pending',
          next_attempt_at: TEST_NOW,
        },
      );
      const audit = await t.db.kysely
        .selectFrom('audit_log')
        .select(['action', 'from_state', 'to_state'])
        .where('entity', '=', 'partner_callback')
        .where('entity_id', '=', '1')
        .execute();
      assert.deepEqual(audit, [{ action: 'retry', from_state: 'dead', to_state: 'pending' }]);
    });

    it('makes a failed pending callback due now', async () => {
      const res = body(await retry(2));
      assert.equal(res.code, 1);
      assert.equal(res.data.next_attempt_at, '2024-06-01 10:00:00');
    });

    it('refuses a delivered, a never-tried and an unknown callback, in Chinese, changing nothing', async () => {
      assert.deepEqual(body(await retry(3)), { code: 0, errors: [], msg: '回调已送达，不能重试' });
      assert.equal(body(await retry(4)).msg, '回调尚未发送过，已在等待发送，无需重试');
      assert.deepEqual(body(await retry(99)), {
        code: 0,
        errors: [{ field: 'id', error: '回调不存在' }],
        msg: '回调不存在',
      });
      const bad = body(await retry('abc'));
      assert.equal(bad.code, 0);
      assert.equal(bad.errors[0].field, 'id');
      const delivered = await t.db.kysely
        .selectFrom('partner_callbacks')
        .select('status')
        .where('id', '=', 3)
        .executeTakeFirstOrThrow();
      assert.equal(delivered.status, 'delivered');
    });

    it('is admin only', async () => {
      assert.equal((await retry(2, kefu)).statusCode, 403);
      assert.equal(
        (await t.app.inject({ method: 'POST', url: '/api/partner-callbacks/2/retry' })).statusCode,
        401,
      );
    });
  });

  describe('GET /api/partner-callbacks/export.csv', () => {
    it('answers every callback newest first with the status filter, arguments escaped', async () => {
      const rows = csvRows(await get('/api/partner-callbacks/export.csv', admin), '合作方回调.csv');
      assert.deepEqual(rows[0], [
        '编号',
        '合作方标识',
        '接口',
        '参数',
        '状态',
        '尝试次数',
        '下次尝试时间',
        '最后错误',
        '创建时间',
        '送达时间',
      ]);
      assert.deepEqual(
        rows.slice(1).map((r) => r[0]),
        ['4', '3', '2', '1'],
      );
      assert.deepEqual(rows[3], [
        '2',
        'UA1',
        'PartnerGate.Order.approveFeedback',
        '{"order_id":"P2","approve_message":"审核通过,\\"好\\""}',
        '待发送',
        '3',
        '2024-06-01 10:00:00',
        'HTTP 502',
        '2024-06-01 09:59:59',
        '',
      ]);
      const delivered = csvRows(
        await get('/api/partner-callbacks/export.csv?status=delivered', admin),
        '合作方回调.csv',
      );
      assert.deepEqual(
        delivered.slice(1).map((r) => [r[0], r[4], r[9]]),
        [['3', '已送达', '2024-06-01 10:00:00']],
      );
      const bad = body(await get('/api/partner-callbacks/export.csv?status=lost', admin));
      assert.equal(bad.errors[0].field, 'status');
      assert.equal((await get('/api/partner-callbacks/export.csv', kefu)).statusCode, 403);
      assert.equal((await get('/api/partner-callbacks/export.csv')).statusCode, 401);
    });
  });

  describe('GET /api/partners/:id/calls', () => {
    it("answers the partner's calls newest first, paged, without arguments", async () => {
      const partner = body(
        await t.app.inject({
          method: 'POST',
          url: '/api/partners',
          headers: bearer(admin),
          payload: { ua: 'UA1', signkey: 'k'.repeat(32), calls: '*' },
        }),
      ).data;
      await t.db.kysely
        .insertInto('partner_call_log')
        .values([
          ...Array.from({ length: 25 }, (_, i) => ({
            ua: 'UA1',
            call: 'PartnerGate.Order.checkUser',
            status: 1,
            result: i % 2 ? 'OK' : 'REFUSE',
            message: 'success',
            created_at: TEST_NOW + i,
          })),
          {
            ua: 'OTHER',
            call: 'x',
            status: 1003,
            result: null,
            message: '签名错误',
            created_at: TEST_NOW + 99,
          },
        ])
        .execute();
      const first = body(await get(`/api/partners/${partner.id}/calls?page_size=10`, admin));
      assert.equal(first.code, 1);
      assert.deepEqual(
        { ...first.data, calls: first.data.calls.length },
        { ua: 'UA1', total: 25, page: 1, page_size: 10, page_count: 3, calls: 10 },
      );
      assert.deepEqual(Object.keys(first.data.calls[0]).sort(), [
        'call',
        'created_at',
        'id',
        'message',
        'result',
        'status',
      ]);
      assert.equal(first.data.calls[0].created_at, TEST_NOW + 24);
      const last = body(await get(`/api/partners/${partner.id}/calls?page=3&page_size=10`, admin)).data;
      assert.equal(last.calls.length, 5);
      assert.equal(last.calls[4].created_at, TEST_NOW);
    });

    it('refuses bad paging by name, an unknown partner, and anyone but admin', async () => {
      const bad = body(await get('/api/partners/1/calls?page=0&page_size=101', admin));
      assert.deepEqual(
        bad.errors.map((e: { field: string; error: string }) => [e.field, e.error]),
        [
          ['page', '页码不能小于1'],
          ['page_size', '每页条数不能大于100'],
        ],
      );
      assert.equal(body(await get('/api/partners/999/calls', admin)).msg, '合作方不存在');
      assert.equal((await get('/api/partners/1/calls', kefu)).statusCode, 403);
    });
  });

  describe('GET /api/escrow-orders', () => {
    it('lists escrow orders newest first by the state staff see, paged with the count', async () => {
      const order = (id: number, state: string, deadline: number) => ({
        id,
        house_order_no: `H${id}`,
        isv_id: 1,
        source: 'TEST',
        source_no: `S${id}`,
        template_id: 'T1',
        service_type: 'FUND',
        store_id: null,
        state: state as 'inviting',
        request_enc: 'x',
        terms_json: '{}',
        terms_hash: `h${id}`,
        create_hash: `c${id}`,
        sign_over_time_hour: 24,
        deadline_at: deadline,
        version: 0,
        created_at: TEST_NOW - id,
        updated_at: TEST_NOW - id,
      });
      const isv = await t.db.kysely.selectFrom('escrow_isvs').select('id').executeTakeFirstOrThrow();
      await t.db.kysely
        .insertInto('escrow_orders')
        .values(
          [
            order(9001, 'inviting', TEST_NOW + 3_600_000),
            order(9002, 'inviting', TEST_NOW - 1),
            order(9003, 'signed', TEST_NOW - 1),
            order(9004, 'timed_out', TEST_NOW - 1),
          ].map((o) => ({ ...o, isv_id: Number(isv.id) })),
        )
        .execute();
      const escrow = await t.tokenFor('escrow');
      const all = body(await get('/api/escrow-orders', escrow));
      assert.equal(all.code, 1, JSON.stringify(all));
      assert.deepEqual(
        all.data.orders.slice(0, 4).map((o: { id: number; state: string }) => [o.id, o.state]),
        [
          [9004, 'timed_out'],
          [9003, 'signed'],
          [9002, 'timed_out'],
          [9001, 'inviting'],
        ],
      );
      const stored = await t.db.kysely.selectFrom('escrow_orders').select(['state', 'deadline_at']).execute();
      assert.equal(all.data.total, stored.length);
      const seenAs = (state: string) =>
        stored.filter((o) =>
          state === 'timed_out'
            ? o.state === 'timed_out' || (o.state === 'inviting' && Number(o.deadline_at) <= TEST_NOW)
            : o.state === state && (state !== 'inviting' || Number(o.deadline_at) > TEST_NOW),
        ).length;
      const timedOut = body(await get('/api/escrow-orders?state=timed_out&page_size=1', escrow)).data;
      assert.deepEqual(
        [timedOut.total, timedOut.page_count, timedOut.orders[0].id],
        [seenAs('timed_out'), seenAs('timed_out'), 9004],
      );
      const inviting = body(await get('/api/escrow-orders?state=inviting', escrow)).data;
      assert.equal(inviting.total, seenAs('inviting'));
      assert.ok(inviting.orders.every((o: { state: string }) => o.state === 'inviting'));
      assert.equal(inviting.orders[0].id, 9001);
      assert.ok(!('request_enc' in all.data.orders[0]), 'never the sealed request');
    });

    it('refuses a bad state by name, and anyone without the escrow role', async () => {
      const escrow = await t.tokenFor('escrow');
      const bad = body(await get('/api/escrow-orders?state=lost&page=x', escrow));
      assert.deepEqual(
        bad.errors.map((e: { field: string }) => e.field),
        ['state', 'page'],
      );
      const res = await get('/api/escrow-orders', admin);
      assert.equal(res.statusCode, 403);
      assert.equal(body(res).msg, '需要资金监管权限');
    });
  });

  describe('GET /api/leases/export.csv', () => {
    it('answers what the list shows (mobiles masked), money in yuan, with its filters', async () => {
      const mobile = '13500001111';
      await t.app.inject({ method: 'POST', url: '/user_auth/send_code', payload: { mobile } });
      const code = /(\d{6})/.exec(sms.sent.filter((m) => m.phone === mobile).at(-1)!.text)![1];
      const token = body(
        await t.app.inject({ method: 'POST', url: '/user_auth/login', payload: { mobile, code } }),
      ).data.token as string;
      const saved = body(
        await t.app.inject({
          method: 'POST',
          url: '/user_contract/save',
          headers: bearer(token),
          payload: { ...leaseForm(), t_name: '张,"租客"' },
        }),
      );
      assert.ok(saved.data?.id, JSON.stringify(saved));
      const list = body(await get('/api/leases', admin)).data.leases;
      const rows = csvRows(await get('/api/leases/export.csv', admin), '租约.csv');
      assert.equal(rows[0]![0], '订单编号');
      assert.equal(rows.length, list.length + 1);
      const first = list[0];
      assert.deepEqual(rows[1], [
        String(first.id),
        first.tenant_mobile,
        '张,"租客"',
        first.h_address,
        first.mode_label,
        first.status_label,
        first.booked ? '是' : '否',
        first.r_s_time,
        first.r_e_time,
        String(first.months),
        (first.monthly_rent / 100).toFixed(2),
        (first.rent_total / 100).toFixed(2),
        (first.deposit_total / 100).toFixed(2),
        first.created_at,
      ]);
      assert.match(rows[1]![1]!, /^1350000\d\*\*\*$|\*/, 'the mobile masked as the list masks it');
      const none = csvRows(await get('/api/leases/export.csv?mobile=13900000000', admin), '租约.csv');
      assert.equal(none.length, 1);
      const bad = body(await get('/api/leases/export.csv?status=77&mobile=1', admin));
      assert.deepEqual(
        bad.errors.map((e: { field: string }) => e.field),
        ['status', 'mobile'],
      );
      assert.equal((await get('/api/leases/export.csv', kefu)).statusCode, 403);
    });
  });

  describe('GET /api/tenants', () => {
    it('finds a tenant by mobile, masked, with the held deposit and lease count', async () => {
      const found = body(await get('/api/tenants?mobile=13500001111', admin));
      assert.equal(found.code, 1, JSON.stringify(found));
      assert.equal(found.data.total, 1);
      const [tenant] = found.data.tenants;
      assert.deepEqual(
        { mobile: tenant.mobile, deposit_held: tenant.deposit_held, leases: tenant.leases },
        { mobile: '13500001***', deposit_held: 0, leases: 1 },
      );
      const all = body(await get('/api/tenants?page_size=1', admin)).data;
      assert.equal(all.tenants.length, 1);
      assert.ok(all.total >= 1);
      assert.equal(all.page_count, all.total);
    });

    it('refuses bad fields by name, and anyone but admin', async () => {
      const bad = body(await get('/api/tenants?mobile=123&page=0', admin));
      assert.deepEqual(
        bad.errors.map((e: { field: string }) => e.field),
        ['mobile', 'page'],
      );
      assert.equal((await get('/api/tenants', kefu)).statusCode, 403);
      assert.equal((await get('/api/tenants')).statusCode, 401);
    });
  });

  describe('GET /api/parking/orders/export.csv', () => {
    it('answers the parking orders newest first with the filters, money in yuan, times in Beijing time', async () => {
      const card = await t.db.kysely
        .selectFrom('parking_cards')
        .select(['id', 'park_id', 'user_id'])
        .executeTakeFirstOrThrow();
      const version = await t.db.kysely
        .selectFrom('parking_product_versions')
        .select(['id', 'product_id'])
        .executeTakeFirstOrThrow();
      const order = (n: number, state: '81' | '03', auditState: '02' | '03') => ({
        id: n.toString(16).padStart(32, '0'),
        park_id: card.park_id,
        card_id: card.id,
        user_id: card.user_id,
        product_id: version.product_id,
        product_v_id: version.id,
        product_name: '月卡',
        price_type: '01' as const,
        unit_type: '4',
        count: 3,
        amount_fen: 30_050,
        start_dt: TEST_NOW,
        end_dt: TEST_NOW + 86_400_000,
        order_type: 1,
        state,
        is_audit_before_pay: 1,
        audit_state: auditState,
        audit_reason: null,
        audited_by: null,
        audited_at: null,
        extra_info: '[]',
        first_org_name: '=HYPERLINK("x")',
        first_org_code: null,
        second_org_name: null,
        second_org_code: null,
        user_department: '后勤,保卫',
        duplicate_code: 'E01',
        out_trade_no: null,
        pay_suc_dt: null,
        prev_end_dt: null,
        expires_at: TEST_NOW,
        created_at: TEST_NOW + Math.floor(n / 2),
        updated_at: TEST_NOW,
      });
      // Closed or paid (a card has one open order at most), in batches: one INSERT of them all would pass SQLite's limit of bound parameters.
      const orders = Array.from({ length: 1_203 }, (_, i) => order(i + 1, i % 3 ? '81' : '03', '02'));
      for (let i = 0; i < orders.length; i += 200)
        await t.db.kysely
          .insertInto('parking_orders')
          .values(orders.slice(i, i + 200))
          .execute();
      const parking = await t.tokenFor('parking');
      const rows = csvRows(await get('/api/parking/orders/export.csv', parking), '停车订单.csv');
      assert.equal(rows.length, 1_204, 'every order, over two keyset pages');
      assert.equal(rows[0]![4], '金额（元）');
      assert.deepEqual(
        rows.slice(1, 4).map((r) => r[0]),
        [1203, 1202, 1201].map((n) => n.toString(16).padStart(32, '0')),
      );
      assert.deepEqual(rows[1]!.slice(1, 16), [
        '月卡',
        '校内',
        '3月',
        '300.50',
        '2024-06-01 10:00:00',
        '2024-06-02 10:00:00',
        '续费',
        '已关闭',
        '审核中',
        '',
        '',
        '',
        '\'=HYPERLINK("x")',
        '',
        '后勤,保卫',
      ]);
      const paid = csvRows(await get('/api/parking/orders/export.csv?state=03', parking), '停车订单.csv');
      assert.equal(paid.length, 1 + 401);
      assert.ok(paid.slice(1).every((r) => r[8] === '已支付'));
      const bad = body(await get('/api/parking/orders/export.csv?state=99&audit_state=77', parking));
      assert.deepEqual(
        bad.errors.map((e: { field: string }) => e.field),
        ['audit_state', 'state'],
      );
      assert.equal((await get('/api/parking/orders/export.csv', kefu)).statusCode, 403);
      assert.equal((await get('/api/parking/orders/export.csv')).statusCode, 401);
    });
  });
});
