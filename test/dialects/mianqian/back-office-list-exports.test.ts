import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CSV_PAGE_ROWS } from '../../../src/dialects/mianqian/csv-export.js';
import { createPii } from '../../../src/platform/pii.js';
import { csvRows } from '../../helpers/csv.js';
import { bearer, body, startTestApp, TEST_NOW, TEST_PII_KEY, type TestApp } from '../../helpers/test-app.js';
import { testDialect } from '../../helpers/test-database.js';

const pii = createPii(Buffer.from(TEST_PII_KEY, 'hex'));
const HOUR = 3_600_000;

/** Inserts `rows` a few hundred at a time (SQLite's bound-parameter limit). */
async function insertAll<T>(insert: (chunk: T[]) => Promise<unknown>, rows: T[]) {
  for (let i = 0; i < rows.length; i += 200) await insert(rows.slice(i, i + 200));
}

describe(`back office: every list's CSV export (${testDialect()})`, () => {
  let t: TestApp;
  let admin: string;
  let kefu: string;
  let escrow: string;
  let isvId: number;
  let partnerId: number;
  const get = (url: string, token?: string) =>
    t.app.inject({ url, ...(token ? { headers: bearer(token) } : {}) });

  /** Asserts the refusals every admin export shares: 401 without a session, 403 without the role. */
  async function refusesWithoutRole(url: string, allowed: string, refused: string, message: string) {
    const anonymous = await get(url);
    assert.equal(anonymous.statusCode, 401);
    assert.equal(body(anonymous).code, 0);
    const other = await get(url, refused);
    assert.equal(other.statusCode, 403, other.body);
    assert.equal(body(other).msg, message);
    assert.equal((await get(url, allowed)).statusCode, 200);
  }

  before(async () => {
    t = await startTestApp();
    admin = await t.tokenFor('admin');
    kefu = await t.tokenFor('kefu');
    escrow = await t.tokenFor('escrow');
    const isv = body(
      await t.app.inject({
        method: 'POST',
        url: '/api/escrow-isvs',
        headers: bearer(admin),
        payload: { app_key: 'isv-export', secret: 's'.repeat(32), methods: '*', store_ids: [7, 8] },
      }),
    );
    assert.equal(isv.code, 1, JSON.stringify(isv));
    isvId = isv.data.id;
    const partner = body(
      await t.app.inject({
        method: 'POST',
        url: '/api/partners',
        headers: bearer(admin),
        payload: {
          ua: 'UA-EXPORT',
          signkey: 'k'.repeat(32),
          calls: '*',
          callback_url: 'https://p.example/cb',
        },
      }),
    );
    assert.equal(partner.code, 1, JSON.stringify(partner));
    partnerId = partner.data.id;
  });
  after(() => t.close());

  describe('GET /api/escrow-orders/export.csv', () => {
    before(async () => {
      const order = (n: number, state: 'inviting' | 'signed', deadlineAt: number) => ({
        house_order_no: `HO${n}`,
        isv_id: isvId,
        source: 'tmall',
        source_no: `S${n}`,
        template_id: 'T1',
        service_type: 'escrow',
        store_id: n === 1 ? null : 7,
        state,
        request_enc: 'sealed',
        terms_json: '{}',
        terms_hash: `th${n}`,
        create_hash: `ch${n}`,
        sign_over_time_hour: 24,
        deadline_at: deadlineAt,
        version: 1,
        created_at: TEST_NOW - n * HOUR,
        updated_at: TEST_NOW - n * HOUR,
      });
      await t.db.kysely
        .insertInto('escrow_orders')
        .values([
          order(1, 'signed', TEST_NOW + HOUR),
          // Past its deadline: timed out to staff before the job moves it, in the CSV too.
          order(2, 'inviting', TEST_NOW - HOUR),
          order(3, 'inviting', TEST_NOW + HOUR),
        ])
        .execute();
    });

    it('answers the list newest first, every column, the state as staff see it', async () => {
      const rows = csvRows(await get('/api/escrow-orders/export.csv', escrow), '资金监管订单.csv');
      assert.deepEqual(rows[0], [
        '履约单号',
        '来源',
        '来源单号',
        '模板',
        '服务类型',
        '门店',
        '状态',
        '应约截止时间',
        '创建时间',
        '更新时间',
      ]);
      assert.deepEqual(
        rows.slice(1).map((r) => r[0]),
        ['HO3', 'HO2', 'HO1'],
      );
      assert.deepEqual(rows[2], [
        'HO2',
        'tmall',
        'S2',
        'T1',
        'escrow',
        '7',
        '已超时',
        '2024-06-01 09:00:00',
        '2024-06-01 08:00:00',
        '2024-06-01 08:00:00',
      ]);
      assert.equal(rows[3]![5], '', 'no store: an empty cell');
    });

    it('applies the state filter, refuses a bad one by name, and is the escrow role’s', async () => {
      const timedOut = csvRows(
        await get('/api/escrow-orders/export.csv?state=timed_out', escrow),
        '资金监管订单.csv',
      );
      assert.deepEqual(
        timedOut.slice(1).map((r) => r[0]),
        ['HO2'],
      );
      const bad = body(await get('/api/escrow-orders/export.csv?state=lost', escrow));
      assert.deepEqual(bad.errors, [
        { field: 'state', error: '状态只能是inviting、signed、declined或timed_out' },
      ]);
      await refusesWithoutRole('/api/escrow-orders/export.csv', escrow, admin, '需要资金监管权限');
    });
  });

  describe('GET /api/escrow-releases/export.csv', () => {
    before(async () => {
      const escrowId = await t.db.kysely
        .selectFrom('staff')
        .select('id')
        .where('roles', '=', 'escrow')
        .executeTakeFirstOrThrow();
      const checkerId = await t.db.kysely
        .selectFrom('staff')
        .select('id')
        .where('roles', '=', 'admin')
        .executeTakeFirstOrThrow();
      const order = await t.db.kysely
        .selectFrom('escrow_orders')
        .select('id')
        .where('house_order_no', '=', 'HO1')
        .executeTakeFirstOrThrow();
      const release = (n: number, state: 'requested' | 'rejected') => ({
        order_id: Number(order.id),
        kind: n === 1 ? ('refund' as const) : ('release' as const),
        amount: 123_456 + n,
        fee: n === 1 ? 0 : 500,
        reason: `原因${n}`,
        state,
        payee_name: '李房东',
        payee_card_enc: pii.encrypt('6222020200112233445'),
        payee_card_masked: '6222 **** **** 3445',
        payee_bank: '工商银行',
        requested_by: Number(escrowId.id),
        // Maker-checker: a decision's checker is never the maker (a CHECK).
        decided_by: state === 'rejected' ? Number(checkerId.id) : null,
        requested_by_name: 'maker',
        decided_by_name: state === 'rejected' ? 'checker' : null,
        decided_at: state === 'rejected' ? TEST_NOW : null,
        decision_reason: state === 'rejected' ? '金额不对' : null,
        created_at: TEST_NOW - n * 60_000,
        updated_at: TEST_NOW - n * 60_000,
      });
      await t.db.kysely
        .insertInto('escrow_releases')
        .values([release(1, 'requested'), release(2, 'requested'), release(3, 'rejected')])
        .execute();
    });

    it('answers the waiting ones oldest first, money in yuan, the card masked as the queue shows it', async () => {
      const rows = csvRows(await get('/api/escrow-releases/export.csv', escrow), '放款退款审批-待审批.csv');
      assert.deepEqual(rows[0], [
        '申请编号',
        '履约单号',
        '类型',
        '金额（元）',
        '服务费（元）',
        '状态',
        '原因',
        '收款人',
        '收款卡号',
        '开户行',
        '申请人',
        '申请时间',
        '审批人',
        '审批时间',
        '审批意见',
      ]);
      assert.equal(rows.length, 3);
      // Waiting ones oldest first (by id, as the queue): release 1 leads.
      assert.deepEqual(rows[1]!.slice(1), [
        'HO1',
        '退款',
        '1234.57',
        '0.00',
        '待审批',
        '原因1',
        '李房东',
        '6222 **** **** 3445',
        '工商银行',
        'maker',
        '2024-06-01 09:59:00',
        '',
        '',
        '',
      ]);
      assert.ok(!rows.flat().includes('6222020200112233445'), 'never the whole card number');
    });

    it('applies the state filter and refuses a bad one, for the escrow role only', async () => {
      const rejected = csvRows(
        await get('/api/escrow-releases/export.csv?state=rejected', escrow),
        '放款退款审批-已驳回.csv',
      );
      assert.deepEqual(
        rejected.slice(1).map((r) => [r[5], r[12], r[14]]),
        [['已驳回', 'checker', '金额不对']],
      );
      const bad = body(await get('/api/escrow-releases/export.csv?state=paid', escrow));
      assert.deepEqual(bad.errors, [{ field: 'state', error: '状态只能是requested、approved或rejected' }]);
      await refusesWithoutRole('/api/escrow-releases/export.csv', escrow, admin, '需要资金监管权限');
    });
  });

  describe('GET /api/tenants/export.csv', () => {
    before(async () => {
      const tenant = (n: number) => {
        const mobile = `1390000${String(n).padStart(4, '0')}`;
        return {
          mobile_enc: pii.encrypt(mobile),
          mobile_hash: pii.blindIndex(mobile, 'mobile'),
          deposit_held: n * 1_001,
          created_at: TEST_NOW - n * HOUR,
        };
      };
      // More than a page: the export reads them a keyset page at a time.
      await insertAll(
        (chunk) => t.db.kysely.insertInto('tenants').values(chunk).execute(),
        Array.from({ length: CSV_PAGE_ROWS + 50 }, (_, i) => tenant(i + 1)),
      );
    });

    it('answers every tenant newest first across pages, mobiles masked as the list masks them', async () => {
      const rows = csvRows(await get('/api/tenants/export.csv', admin), '租客.csv');
      assert.deepEqual(rows[0], ['租客编号', '手机号', '代管押金（元）', '租约数', '注册时间']);
      assert.equal(rows.length, 1 + CSV_PAGE_ROWS + 50);
      const ids = rows.slice(1).map((r) => Number(r[0]));
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => b - a),
        'newest (highest id) first, no row twice',
      );
      assert.equal(new Set(ids).size, ids.length);
      assert.ok(
        rows.some((r) => r[1] === '13900000***'),
        'the mobile masked',
      );
      assert.ok(!rows.flat().some((cell) => /^1390000\d{4}$/.test(cell)), 'never a whole mobile');
      const list = body(await get('/api/tenants?page_size=1', admin));
      assert.equal(rows[1]![1], list.data.tenants[0].mobile, 'masked exactly as the list masks it');
    });

    it('applies the mobile filter and names a bad one in Chinese; admin only', async () => {
      const one = csvRows(await get('/api/tenants/export.csv?mobile=13900000007', admin), '租客.csv');
      assert.deepEqual(one.slice(1), [[one[1]![0], '13900000***', '70.07', '0', '2024-06-01 03:00:00']]);
      const bad = body(await get('/api/tenants/export.csv?mobile=123', admin));
      assert.equal(bad.code, 0);
      assert.equal(bad.errors[0].field, 'mobile');
      assert.match(bad.errors[0].error, /租客手机号/);
      await refusesWithoutRole('/api/tenants/export.csv', admin, kefu, '需要管理员权限');
    });
  });

  describe('GET /api/staff/export.csv', () => {
    it('answers the accounts by id with their roles in Chinese and whether disabled; admin only', async () => {
      const kefuRow = await t.db.kysely
        .selectFrom('staff')
        .select('id')
        .where('roles', '=', 'kefu')
        .executeTakeFirstOrThrow();
      await t.app.inject({
        method: 'PATCH',
        url: `/api/staff/${kefuRow.id}`,
        headers: bearer(admin),
        payload: { disabled: 1, display_name: '=客服' },
      });
      const rows = csvRows(await get('/api/staff/export.csv', admin), '员工账号.csv');
      assert.deepEqual(rows[0], ['编号', '用户名', '显示名', '角色', '状态']);
      const list = body(await get('/api/staff', admin)).data.staff as { id: number }[];
      assert.deepEqual(
        rows.slice(1).map((r) => Number(r[0])),
        list.map((s) => s.id),
      );
      assert.deepEqual(
        rows.find((r) => r[0] === String(kefuRow.id)),
        [String(kefuRow.id), 't2-kefu', "'=客服", '客服', '已停用'],
      );
      assert.ok(rows.some((r) => r[3] === '管理员' && r[4] === '正常'));
      assert.ok(!rows.flat().some((cell) => cell.includes('argon2')), 'never a password hash');
      await refusesWithoutRole('/api/staff/export.csv', admin, escrow, '需要管理员权限');
    });
  });

  describe('GET /api/partners/export.csv and /api/partners/:id/calls/export.csv', () => {
    it('answers the partners without their keys; admin only', async () => {
      const rows = csvRows(await get('/api/partners/export.csv', admin), '合作方.csv');
      assert.deepEqual(rows, [
        ['编号', '合作方标识', '可调用接口', '回调地址', '状态', '创建时间'],
        [String(partnerId), 'UA-EXPORT', '全部接口', 'https://p.example/cb', '启用', '2024-06-01 10:00:00'],
      ]);
      await refusesWithoutRole('/api/partners/export.csv', admin, kefu, '需要管理员权限');
    });

    it("answers a partner's whole call log newest first across pages, ties on time broken by id", async () => {
      // Two calls a millisecond: pages end inside runs of equal times.
      await insertAll(
        (chunk) => t.db.kysely.insertInto('partner_call_log').values(chunk).execute(),
        Array.from({ length: CSV_PAGE_ROWS + 101 }, (_, i) => ({
          ua: 'UA-EXPORT',
          call: 'PartnerGate.User.checkAdmission',
          status: i % 5 === 0 ? 0 : 1,
          result: i % 5 === 0 ? null : '1',
          message: i % 5 === 0 ? '参数错误' : '成功',
          created_at: TEST_NOW - 10_000 + Math.floor(i / 2),
        })),
      );
      await t.db.kysely
        .insertInto('partner_call_log')
        .values({ ua: 'OTHER', call: 'x', status: 1, result: null, message: 'm', created_at: TEST_NOW })
        .execute();
      const url = `/api/partners/${partnerId}/calls/export.csv`;
      const rows = csvRows(await get(url, admin), '合作方调用记录-UA-EXPORT.csv');
      assert.deepEqual(rows[0], ['编号', '时间', '接口', '状态码', '结果', '说明']);
      assert.equal(rows.length, 1 + CSV_PAGE_ROWS + 101, 'every call of this partner, none of another');
      const ids = rows.slice(1).map((r) => Number(r[0]));
      assert.equal(new Set(ids).size, ids.length, 'no call twice');
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => b - a),
      );
      const list = body(await get(`/api/partners/${partnerId}/calls?page_size=3`, admin)).data;
      assert.deepEqual(
        rows.slice(1, 4).map((r) => Number(r[0])),
        list.calls.map((c: { id: number }) => c.id),
        'the order of the list',
      );
      const last = rows[rows.length - 1]!;
      assert.deepEqual(last.slice(1), [
        '2024-06-01 09:59:50',
        'PartnerGate.User.checkAdmission',
        '0',
        '',
        '参数错误',
      ]);
    });

    it('refuses an unknown partner in the envelope, as its list does, and a bad id by name; admin only', async () => {
      const unknown = await get('/api/partners/999999/calls/export.csv', admin);
      assert.equal(unknown.statusCode, 200);
      assert.deepEqual(body(unknown).errors, [{ field: 'id', error: '合作方不存在' }]);
      const bad = body(await get('/api/partners/abc/calls/export.csv', admin));
      assert.equal(bad.code, 0);
      assert.equal(bad.errors[0].field, 'id');
      await refusesWithoutRole(`/api/partners/${partnerId}/calls/export.csv`, admin, kefu, '需要管理员权限');
    });
  });

  describe('GET /api/sms-messages/export.csv', () => {
    before(async () => {
      await insertAll(
        (chunk) => t.db.kysely.insertInto('sms_messages').values(chunk).execute(),
        Array.from({ length: CSV_PAGE_ROWS + 20 }, (_, i) => ({
          purpose: 'login',
          phone_masked: '138****0000',
          phone_hash: `h${i}`,
          provider: 'log',
          template_id: 'SMS_1',
          provider_id: `P${i}`,
          request_id: null,
          status: i % 10 === 0 ? ('failed' as const) : ('delivered' as const),
          error_code: i % 10 === 0 ? 'isv.BUSINESS_LIMIT_CONTROL' : null,
          error_message: i % 10 === 0 ? '触发流控' : null,
          created_at: TEST_NOW + i,
          updated_at: TEST_NOW + i,
        })),
      );
    });

    it('answers every message newest first across pages, phones masked', async () => {
      const rows = csvRows(await get('/api/sms-messages/export.csv', admin), '短信记录.csv');
      assert.deepEqual(rows[0], [
        '编号',
        '用途',
        '手机号',
        '通道',
        '模板',
        '通道消息编号',
        '状态',
        '错误码',
        '错误信息',
        '发送时间',
        '更新时间',
      ]);
      assert.equal(rows.length, 1 + CSV_PAGE_ROWS + 20);
      assert.deepEqual(rows[1]!.slice(1), [
        'login',
        '138****0000',
        'log',
        'SMS_1',
        `P${CSV_PAGE_ROWS + 19}`,
        '已送达',
        '',
        '',
        '2024-06-01 10:00:01',
        '2024-06-01 10:00:01',
      ]);
      assert.equal(rows[rows.length - 1]![5], 'P0');
    });

    it('applies the status filter, names a bad one; admin only', async () => {
      const failed = csvRows(
        await get('/api/sms-messages/export.csv?status=failed,undelivered', admin),
        '短信记录.csv',
      );
      assert.equal(failed.length, 1 + 102);
      assert.deepEqual(failed[1]!.slice(6, 9), ['发送失败', 'isv.BUSINESS_LIMIT_CONTROL', '触发流控']);
      const bad = body(await get('/api/sms-messages/export.csv?status=lost', admin));
      assert.equal(bad.code, 0);
      assert.equal(bad.errors[0].field, 'status');
      await refusesWithoutRole('/api/sms-messages/export.csv', admin, kefu, '需要管理员权限');
    });
  });

  describe('GET /api/escrow-isvs/export.csv and /api/escrow-notifications/export.csv', () => {
    it('answers the ISVs without their secrets; admin only', async () => {
      const rows = csvRows(await get('/api/escrow-isvs/export.csv', admin), 'ISV.csv');
      assert.deepEqual(rows, [
        ['编号', '应用标识', '可调用方法', '可代理门店', '通知回调地址', '状态', '创建时间'],
        [String(isvId), 'isv-export', '全部方法', '7,8', '', '启用', '2024-06-01 10:00:00'],
      ]);
      assert.ok(!rows.flat().some((cell) => cell.includes('ssss')), 'never the secret');
      await refusesWithoutRole('/api/escrow-isvs/export.csv', admin, escrow, '需要管理员权限');
    });

    it('answers every notification newest first with the status filter; admin only', async () => {
      const order = await t.db.kysely
        .selectFrom('escrow_orders')
        .select(['id', 'house_order_no'])
        .where('house_order_no', '=', 'HO1')
        .executeTakeFirstOrThrow();
      await t.db.kysely
        .insertInto('escrow_notifications')
        .values(
          [1, 2].map((n) => ({
            notify_id: `N${n}`,
            dedupe_key: `d${n}`,
            isv_id: isvId,
            order_id: Number(order.id),
            house_order_no: order.house_order_no,
            event: 'signed' as const,
            state: 'signed' as const,
            data: JSON.stringify({ amount: 100 * n }),
            status: n === 1 ? ('dead' as const) : ('pending' as const),
            attempts: n === 1 ? 9 : 1,
            next_attempt_at: TEST_NOW + HOUR,
            last_error: 'HTTP 500',
            created_at: TEST_NOW - n * 60_000,
            delivered_at: null,
          })),
        )
        .execute();
      const rows = csvRows(await get('/api/escrow-notifications/export.csv', admin), 'ISV通知.csv');
      assert.deepEqual(rows[0], [
        '编号',
        '通知编号',
        '履约单号',
        '事件',
        '订单状态',
        '数据',
        '发送状态',
        '尝试次数',
        '下次尝试时间',
        '最近错误',
        '创建时间',
        '送达时间',
      ]);
      assert.deepEqual(
        rows.slice(1).map((r) => r.slice(1)),
        [
          [
            'N2',
            'HO1',
            'signed',
            'signed',
            '{"amount":200}',
            '待发送',
            '1',
            '2024-06-01 11:00:00',
            'HTTP 500',
            '2024-06-01 09:58:00',
            '',
          ],
          [
            'N1',
            'HO1',
            'signed',
            'signed',
            '{"amount":100}',
            '已放弃',
            '9',
            '',
            'HTTP 500',
            '2024-06-01 09:59:00',
            '',
          ],
        ],
      );
      const dead = csvRows(
        await get('/api/escrow-notifications/export.csv?status=dead', admin),
        'ISV通知.csv',
      );
      assert.deepEqual(
        dead.slice(1).map((r) => r[1]),
        ['N1'],
      );
      const bad = body(await get('/api/escrow-notifications/export.csv?status=lost', admin));
      assert.equal(bad.code, 0);
      assert.equal(bad.errors[0].field, 'status');
      await refusesWithoutRole('/api/escrow-notifications/export.csv', admin, escrow, '需要管理员权限');
    });
  });

  describe('GET /api/partner-blacklist/export.csv', () => {
    it('answers every entry newest first across pages (reason and time, never a hash); admin only', async () => {
      await insertAll(
        (chunk) => t.db.kysely.insertInto('partner_blacklist').values(chunk).execute(),
        Array.from({ length: CSV_PAGE_ROWS + 5 }, (_, i) => ({
          id_card_hash: `hash-${i}`,
          md5_hash: null,
          reason: i === 0 ? '逾期,"多次"' : `原因${i}`,
          created_at: TEST_NOW + i * 1000,
        })),
      );
      const rows = csvRows(await get('/api/partner-blacklist/export.csv', admin), '黑名单.csv');
      assert.deepEqual(rows[0], ['编号', '原因', '加入时间']);
      assert.equal(rows.length, 1 + CSV_PAGE_ROWS + 5, 'more than the list’s 500, every entry');
      assert.deepEqual(rows[rows.length - 1]!.slice(1), ['逾期,"多次"', '2024-06-01 10:00:00']);
      assert.ok(!rows.flat().some((cell) => cell.startsWith('hash-')), 'never a hash');
      await refusesWithoutRole('/api/partner-blacklist/export.csv', admin, kefu, '需要管理员权限');
    });
  });
});
