import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, body, startTestApp, TEST_NOW, type TestApp } from '../../helpers/test-app.js';
import { testDialect } from '../../helpers/test-database.js';

describe(`back office: the callback outbox, the SMS log, the ISV notifications and the blacklist page by keyset (${testDialect()})`, () => {
  let t: TestApp;
  let admin: string;
  let kefu: string;
  let notificationIds: number[];
  let blacklistIds: number[];
  const get = (url: string, token = admin) => t.app.inject({ url, headers: bearer(token) });

  before(async () => {
    t = await startTestApp();
    admin = await t.tokenFor('admin');
    kefu = await t.tokenFor('kefu');
    await t.db.kysely
      .insertInto('partner_callbacks')
      .values(
        Array.from({ length: 130 }, (_, i) => ({
          ua: 'UA1',
          call: 'PartnerGate.Order.approveFeedback',
          args: '{}',
          dedupe_key: `k${i}`,
          status: i % 2 ? ('delivered' as const) : ('dead' as const),
          attempts: 1,
          next_attempt_at: TEST_NOW,
          last_error: null,
          created_at: TEST_NOW + i,
          delivered_at: null,
        })),
      )
      .execute();
    await t.db.kysely
      .insertInto('sms_messages')
      .values(
        Array.from({ length: 105 }, (_, i) => ({
          purpose: 'login',
          phone_masked: '138****0000',
          phone_hash: `h${i}`,
          provider: 'log',
          template_id: 'SMS_1',
          provider_id: null,
          request_id: null,
          status: i % 3 ? ('delivered' as const) : ('failed' as const),
          error_code: null,
          error_message: null,
          created_at: TEST_NOW + i,
          updated_at: TEST_NOW + i,
        })),
      )
      .execute();
    await seedNotifications();
    await seedBlacklist();
  });
  after(() => t.close());

  /** 130 notifications to one ISV, dead and delivered in turn; their ids newest first. */
  async function seedNotifications() {
    const isv = await t.db.kysely
      .insertInto('escrow_isvs')
      .values({
        app_key: 'isv-paging',
        secret_enc: 'sealed',
        methods: '*',
        store_ids: '*',
        callback_url: null,
        created_at: TEST_NOW,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const order = await t.db.kysely
      .insertInto('escrow_orders')
      .values({
        house_order_no: 'HO-PAGING',
        isv_id: Number(isv.id),
        source: 'tmall',
        source_no: 'S1',
        template_id: 'T1',
        service_type: 'escrow',
        store_id: null,
        state: 'signed',
        request_enc: 'sealed',
        terms_json: '{}',
        terms_hash: 'th',
        create_hash: 'ch',
        sign_over_time_hour: 24,
        deadline_at: TEST_NOW,
        version: 1,
        created_at: TEST_NOW,
        updated_at: TEST_NOW,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db.kysely
      .insertInto('escrow_notifications')
      .values(
        Array.from({ length: 130 }, (_, i) => ({
          notify_id: `N${i}`,
          dedupe_key: `n${i}`,
          isv_id: Number(isv.id),
          order_id: Number(order.id),
          house_order_no: 'HO-PAGING',
          event: 'signed' as const,
          state: 'signed' as const,
          data: '{}',
          status: i % 2 ? ('delivered' as const) : ('dead' as const),
          attempts: 1,
          next_attempt_at: TEST_NOW,
          last_error: null,
          created_at: TEST_NOW + i,
          delivered_at: null,
        })),
      )
      .execute();
    notificationIds = await newestFirst('escrow_notifications');
  }

  /** 510 entries: ten more than the list answered before it paged. */
  async function seedBlacklist() {
    const rows = Array.from({ length: 510 }, (_, i) => ({
      id_card_hash: `id${i}`,
      md5_hash: null,
      reason: `原因${i}`,
      created_at: TEST_NOW + i,
    }));
    // A few hundred at a time: SQLite's bound-parameter limit.
    for (let i = 0; i < rows.length; i += 200) {
      await t.db.kysely
        .insertInto('partner_blacklist')
        .values(rows.slice(i, i + 200))
        .execute();
    }
    blacklistIds = await newestFirst('partner_blacklist');
  }

  async function newestFirst(table: 'escrow_notifications' | 'partner_blacklist') {
    const rows = await t.db.kysely.selectFrom(table).select('id').orderBy('id', 'desc').execute();
    return rows.map((row) => Number(row.id));
  }

  const ids = (rows: { id: number }[]) => rows.map((row) => row.id);

  describe('GET /api/partner-callbacks', () => {
    it('answers as before without paging: the newest 100, and where the next page starts', async () => {
      const answer = body(await get('/api/partner-callbacks'));
      assert.equal(answer.code, 1);
      assert.equal(answer.data.callbacks.length, 100);
      assert.equal(answer.data.callbacks[0].id, 130);
      assert.equal(answer.data.next_before_id, 31);
    });

    it('pages through every callback with before_id and page_size, the status filter kept', async () => {
      const seen: number[] = [];
      let before: number | null = null;
      let pages = 0;
      do {
        const query: string = before === null ? '' : `&before_id=${before}`;
        const page = body(await get(`/api/partner-callbacks?status=dead&page_size=20${query}`)).data;
        seen.push(...ids(page.callbacks));
        assert.ok(page.callbacks.every((c: { status: string }) => c.status === 'dead'));
        before = page.next_before_id;
        pages += 1;
      } while (before !== null);
      assert.equal(pages, 4, '65 dead callbacks: three full pages of 20 and one of 5');
      assert.deepEqual(
        seen,
        Array.from({ length: 65 }, (_, i) => 129 - 2 * i),
        'every dead one once, newest first',
      );
    });

    it('names every bad paging field in Chinese; admin only', async () => {
      const bad = body(await get('/api/partner-callbacks?page_size=0&before_id=x'));
      assert.equal(bad.code, 0);
      assert.deepEqual(bad.errors.map((e: { field: string }) => e.field).sort(), ['before_id', 'page_size']);
      assert.ok(bad.errors.some((e: { error: string }) => e.error === '每页条数不能小于1'));
      assert.ok(bad.errors.some((e: { error: string }) => e.error === '起始编号必须是整数'));
      assert.equal(
        body(await get('/api/partner-callbacks?page_size=101')).errors[0].error,
        '每页条数不能大于100',
      );
      assert.equal((await get('/api/partner-callbacks', kefu)).statusCode, 403);
    });
  });

  describe('GET /api/sms-messages', () => {
    it('answers as before without paging: the newest 100, and where the next page starts', async () => {
      const answer = body(await get('/api/sms-messages')).data;
      assert.equal(answer.messages.length, 100);
      assert.equal(answer.messages[0].id, 105);
      assert.equal(answer.next_before_id, 6);
      const rest = body(await get('/api/sms-messages?before_id=6')).data;
      assert.deepEqual(ids(rest.messages), [5, 4, 3, 2, 1]);
      assert.equal(rest.next_before_id, null);
    });

    it('keeps the status filter across pages', async () => {
      const first = body(await get('/api/sms-messages?status=failed&page_size=30')).data;
      assert.equal(first.messages.length, 30);
      const second = body(
        await get(`/api/sms-messages?status=failed&page_size=30&before_id=${first.next_before_id}`),
      ).data;
      assert.deepEqual(
        [...ids(first.messages), ...ids(second.messages)],
        Array.from({ length: 35 }, (_, i) => 103 - 3 * i),
      );
      assert.equal(second.next_before_id, null);
    });

    it('names a bad page size in Chinese; admin only', async () => {
      assert.deepEqual(body(await get('/api/sms-messages?page_size=abc')).errors, [
        { field: 'page_size', error: '每页条数必须是整数' },
      ]);
      assert.equal((await get('/api/sms-messages', kefu)).statusCode, 403);
    });
  });

  describe('GET /api/escrow-notifications', () => {
    it('answers as before without paging: the newest 100, and where the next page starts', async () => {
      const answer = body(await get('/api/escrow-notifications'));
      assert.equal(answer.code, 1);
      assert.deepEqual(ids(answer.data.notifications), notificationIds.slice(0, 100));
      assert.equal(answer.data.next_before_id, notificationIds[99]);
      const rest = body(await get(`/api/escrow-notifications?before_id=${answer.data.next_before_id}`)).data;
      assert.deepEqual(ids(rest.notifications), notificationIds.slice(100));
      assert.equal(rest.next_before_id, null);
    });

    it('pages through every notification with before_id and page_size, the status filter kept', async () => {
      const seen: number[] = [];
      let before: number | null = null;
      let pages = 0;
      do {
        const query: string = before === null ? '' : `&before_id=${before}`;
        const page = body(await get(`/api/escrow-notifications?status=dead&page_size=20${query}`)).data;
        assert.ok(page.notifications.every((n: { status: string }) => n.status === 'dead'));
        seen.push(...ids(page.notifications));
        before = page.next_before_id;
        pages += 1;
      } while (before !== null);
      assert.equal(pages, 4, '65 dead notifications: three full pages of 20 and one of 5');
      assert.deepEqual(
        seen,
        // The oldest (i = 0) is dead, so newest first every second one from the second.
        notificationIds.filter((_, i) => i % 2 === 1),
        'every dead one once, newest first',
      );
    });

    it('names every bad paging field in Chinese; admin only', async () => {
      const bad = body(await get('/api/escrow-notifications?page_size=101&before_id=0'));
      assert.equal(bad.code, 0);
      assert.deepEqual(bad.errors.map((e: { field: string }) => e.field).sort(), ['before_id', 'page_size']);
      assert.ok(bad.errors.some((e: { error: string }) => e.error === '每页条数不能大于100'));
      assert.ok(bad.errors.some((e: { error: string }) => e.error === '起始编号不能小于1'));
      assert.equal((await get('/api/escrow-notifications', kefu)).statusCode, 403);
    });
  });

  describe('GET /api/partner-blacklist', () => {
    it('answers as before without paging: the newest 500, and where the next page starts', async () => {
      const answer = body(await get('/api/partner-blacklist'));
      assert.equal(answer.code, 1);
      assert.deepEqual(ids(answer.data.entries), blacklistIds.slice(0, 500));
      assert.deepEqual(Object.keys(answer.data.entries[0]).sort(), ['created_at', 'id', 'reason']);
      assert.equal(answer.data.next_before_id, blacklistIds[499]);
      const rest = body(await get(`/api/partner-blacklist?before_id=${answer.data.next_before_id}`)).data;
      assert.deepEqual(ids(rest.entries), blacklistIds.slice(500));
      assert.equal(rest.next_before_id, null);
    });

    it('pages through every entry with before_id and page_size', async () => {
      const seen: number[] = [];
      let before: number | null = null;
      let pages = 0;
      do {
        const query: string = before === null ? '' : `&before_id=${before}`;
        const page = body(await get(`/api/partner-blacklist?page_size=200${query}`)).data;
        seen.push(...ids(page.entries));
        before = page.next_before_id;
        pages += 1;
      } while (before !== null);
      assert.equal(pages, 3, '510 entries: two full pages of 200 and one of 110');
      assert.deepEqual(seen, blacklistIds, 'every entry once, newest first');
    });

    it('names every bad paging field in Chinese; admin only', async () => {
      const bad = body(await get('/api/partner-blacklist?page_size=501&before_id=x'));
      assert.equal(bad.code, 0);
      assert.deepEqual(bad.errors, [
        { field: 'before_id', error: '起始编号必须是整数' },
        { field: 'page_size', error: '每页条数不能大于500' },
      ]);
      assert.equal((await get('/api/partner-blacklist', kefu)).statusCode, 403);
    });
  });
});
