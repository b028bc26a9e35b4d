import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, body, startTestApp, TEST_NOW, type TestApp } from '../../helpers/test-app.js';
import { testDialect } from '../../helpers/test-database.js';

describe(`back office: the callback outbox and the SMS log page by keyset (${testDialect()})`, () => {
  let t: TestApp;
  let admin: string;
  let kefu: string;
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
  });
  after(() => t.close());

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
});
