import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, body, startTestApp, TEST_NOW, type TestApp } from '../../helpers/test-app.js';

const HOUR = 3_600_000;

describe('GET /api/stats/loan-orders', () => {
  let t: TestApp;
  let admin: string;
  const stats = (query: string, token?: string) =>
    t.app.inject({ url: `/api/stats/loan-orders${query}`, ...(token ? { headers: bearer(token) } : {}) });

  before(async () => {
    t = await startTestApp();
    admin = await t.tokenFor('admin');
    const kefu = await t.tokenFor('kefu');
    const mianshen = await t.tokenFor('mianshen');
    const open = async (city: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/loan-orders',
        headers: bearer(kefu),
        payload: { order_type: 1, city, appointment_time: '2024-06-02 10:00', customer_name: '王小二' },
      });
      return body(res).data.son_order_id as string;
    };
    const move = async (hours: number, token: string, id: string, transition: string) => {
      t.clock.set(TEST_NOW + hours * HOUR);
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/loan-orders/${id}/${transition}`,
        headers: bearer(token),
        payload: {},
      });
      assert.equal(body(res).code, 1, res.body);
    };
    // Four orders opened at once; their moves make known stays and decisions.
    const a = await open('北京市');
    const b = await open('上海市');
    const c = await open('北京市');
    const d = await open('北京市');
    await move(2, kefu, a, 'pass');
    await move(4, kefu, b, 'pass');
    await move(5, mianshen, a, 'pass'); // a: 客服 2h, 面审 3h, now at 面签
    await move(6, kefu, c, 'pass');
    await move(6, mianshen, b, 'return_kefu'); // b: 客服 4h, 面审 2h, back at 客服 (驳回)
    await move(7, mianshen, c, 'stop'); // c: 客服 6h, 面审 1h, stopped
    await move(8, kefu, d, 'pass'); // d: 客服 8h, now at 面审
  });
  after(() => t.close());

  it('counts the orders per stage and city, the 驳回 rate and the stays per stage', async () => {
    const res = await stats('', admin);
    assert.equal(res.statusCode, 200);
    const { data } = body(res);
    assert.equal(data.to, TEST_NOW + 8 * HOUR + 1, 'now included');
    assert.equal(data.from, data.to - 90 * 24 * HOUR, 'the last 90 days by default');
    assert.equal(data.from_time, '2024-03-03 18:00:00');
    assert.equal(data.total, 4);
    const stage = (s: string) => data.stages.find((row: { stage: string }) => row.stage === s);
    assert.deepEqual(stage('kefu'), {
      stage: 'kefu',
      label: '客服',
      open: 1,
      stopped: 0,
      approved: 0,
      decisions: 4,
      passed: 4,
      returned: 0,
      stops: 0,
      bohui_rate: 0,
      stays: 4,
      median_hours: 5,
      mean_hours: 5,
    });
    assert.deepEqual(stage('mianshen'), {
      stage: 'mianshen',
      label: '面审',
      open: 1,
      stopped: 1,
      approved: 0,
      decisions: 3,
      passed: 1,
      returned: 1,
      stops: 1,
      bohui_rate: 0.3333,
      stays: 3,
      median_hours: 2,
      mean_hours: 2,
    });
    assert.equal(stage('mianqian').open, 1);
    assert.equal(stage('mianqian').stays, 0, 'a stay still running is not counted');
    assert.equal(stage('mianqian').median_hours, null);
    assert.equal(stage('quanzheng').bohui_rate, null);
    assert.deepEqual(data.cities, [
      { city: '北京市', total: 3, open: 2, stopped: 1, approved: 0 },
      { city: '上海市', total: 1, open: 1, stopped: 0, approved: 0 },
    ]);
    assert.deepEqual(data.stage_cities, [
      { stage: 'kefu', city: '上海市', orders: 1 },
      { stage: 'mianshen', city: '北京市', orders: 2 },
      { stage: 'mianqian', city: '北京市', orders: 1 },
    ]);
  });

  it('looks only at the orders created in [from, to)', async () => {
    const after = body(await stats(`?from=${TEST_NOW + 1}&to=${TEST_NOW + 10 * HOUR}`, admin)).data;
    assert.equal(after.total, 0);
    assert.equal(after.stages[0].stays, 0);
    const exactly = body(await stats(`?from=${TEST_NOW}&to=${TEST_NOW + 1}`, admin)).data;
    assert.equal(exactly.total, 4);
  });

  it('refuses bad ranges naming each field, in Chinese', async () => {
    const both = body(await stats('?from=abc&to=1.5', admin));
    assert.equal(both.code, 0);
    assert.deepEqual(
      both.errors.map((e: { field: string; error: string }) => [e.field, e.error]),
      [
        ['to', '结束时间必须是整数'],
        ['from', '开始时间必须是整数'],
      ],
    );
    const reversed = body(await stats(`?from=${TEST_NOW}&to=${TEST_NOW}`, admin));
    assert.deepEqual(reversed.errors, [{ field: 'from', error: '开始时间必须早于结束时间' }]);
    const wide = body(await stats(`?from=0&to=${TEST_NOW}`, admin));
    assert.deepEqual(wide.errors, [{ field: 'from', error: '时间范围不能超过366天' }]);
  });

  it('answers any stage role or admin; 401 without a session, 403 without such a role', async () => {
    assert.equal(body(await stats('', await t.tokenFor('zhongshen'))).code, 1);
    assert.equal((await stats('')).statusCode, 401);
    const escrow = await stats('', await t.tokenFor('escrow'));
    assert.equal(escrow.statusCode, 403);
    assert.equal(body(escrow).msg, '需要业务环节或管理员权限');
  });
});
