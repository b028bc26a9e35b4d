import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, body, startTestApp, type TestApp } from '../../helpers/test-app.js';

describe('GET /api/loan-orders/desk', () => {
  let t: TestApp;
  let kefu: string;
  let mianshen: string;
  let mianqian: string;
  const ids: string[] = [];
  const desk = (query: string, token?: string) =>
    t.app.inject({ url: `/api/loan-orders/desk?${query}`, ...(token ? { headers: bearer(token) } : {}) });

  before(async () => {
    t = await startTestApp();
    kefu = await t.tokenFor('kefu');
    mianshen = await t.tokenFor('mianshen');
    mianqian = await t.tokenFor('mianqian');
    for (const [name, city] of [
      ['张三', '北京市'],
      ['李四', '上海市'],
      ['王五', '上海市'],
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
      ids.push(body(created).data.son_order_id);
      t.clock.advance(60_000);
    }
    // 王五 moves on to 面审: the 客服 desk keeps two, 面审's holds one.
    const passed = await t.app.inject({
      method: 'POST',
      url: `/api/loan-orders/${ids[2]}/pass`,
      headers: bearer(kefu),
      payload: {},
    });
    assert.equal(body(passed).code, 1, passed.body);
  });
  after(() => t.close());

  it("answers a stage's desk, newest first, with its total, in the envelope", async () => {
    const answer = body(await desk('stage=kefu', kefu));
    assert.equal(answer.code, 1, JSON.stringify(answer));
    assert.equal(answer.data.total, 2);
    assert.equal(answer.data.page_count, 1);
    assert.equal(answer.data.bohui_count, 0);
    assert.deepEqual(
      answer.data.order_list.map((row: { son_order_id: string; customer_name: string }) => [
        row.son_order_id,
        row.customer_name,
      ]),
      [
        [ids[1], '李四'],
        [ids[0], '张三'],
      ],
    );
    const next = body(await desk('stage=mianshen', mianshen));
    assert.deepEqual(
      next.data.order_list.map((row: { customer_name: string }) => row.customer_name),
      ['王五'],
    );
    assert.equal(next.data.total, 1);
  });

  it('filters as the 面签 list does: name, city, 驳回 only', async () => {
    const named = body(await desk(`stage=kefu&customer_name=${encodeURIComponent('李四')}`, kefu));
    assert.deepEqual(
      [named.data.total, named.data.order_list.map((row: { son_order_id: string }) => row.son_order_id)],
      [1, [ids[1]]],
    );
    const city = body(await desk(`stage=kefu&city_key=${encodeURIComponent('北京市')}`, kefu));
    assert.deepEqual(
      [city.data.total, city.data.order_list.map((row: { son_order_id: string }) => row.son_order_id)],
      [1, [ids[0]]],
    );
    const rejected = body(await desk('stage=kefu&is_bohui=1', kefu));
    assert.deepEqual([rejected.data.total, rejected.data.order_list], [0, []]);
  });

  it('names every bad filter, and keeps each desk to its role', async () => {
    const bad = body(await desk('stage=kefu&customer_mobile=123&page_num=0', kefu));
    assert.equal(bad.code, 0);
    assert.deepEqual(
      bad.errors.map((e: { field: string }) => e.field),
      ['customer_mobile', 'page_num'],
    );
    const forbidden = await desk('stage=kefu', mianqian);
    assert.equal(forbidden.statusCode, 403);
    assert.equal(body(forbidden).code, 0);
    const anonymous = await desk('stage=kefu');
    assert.equal(anonymous.statusCode, 401);
    // A bad field is a validation failure like any other: HTTP 200, named in the envelope.
    assert.deepEqual(body(await desk('stage=nobody', kefu)), {
      code: 0,
      errors: [{ field: 'stage', error: '环节格式不正确' }],
      msg: '环节格式不正确',
    });
  });

  describe('客服: its whole queue, those returned to it included, with the filters', () => {
    const names = (answer: { data: { order_list: { customer_name: string }[] } }) =>
      answer.data.order_list.map((row) => row.customer_name);

    before(async () => {
      // 面审 returns 王五 to 客服: at 客服 again, 驳回, on 面审's desk for 面审 to follow up.
      const returned = await t.app.inject({
        method: 'POST',
        url: `/api/loan-orders/${ids[2]}/return_kefu`,
        headers: bearer(mianshen),
        payload: { reason: '资料不全' },
      });
      assert.equal(body(returned).code, 1, returned.body);
    });

    it('lists every open order at 客服 with the 驳回 one marked, and counts it', async () => {
      const answer = body(await desk('stage=kefu', kefu));
      assert.deepEqual(names(answer), ['王五', '李四', '张三']);
      assert.deepEqual([answer.data.total, answer.data.bohui_count, answer.data.page_count], [3, 1, 1]);
      assert.equal(answer.data.order_list[0].is_bohui, '1');
      // The queue route other callers use answers the same orders, its contract unchanged.
      const queue = body(await t.app.inject({ url: '/api/loan-orders?stage=kefu', headers: bearer(kefu) }));
      assert.deepEqual(
        queue.data.order_list.map((row: { son_order_id: string }) => row.son_order_id),
        answer.data.order_list.map((row: { son_order_id: string }) => row.son_order_id),
      );
    });

    it('answers on every row the stage that returned it and its creation time, on every desk', async () => {
      const rows = (answer: { data: { order_list: { customer_name: string }[] } }) =>
        answer.data.order_list.map((row) => {
          const { customer_name, bohui_stage, created_at } = row as typeof row & {
            bohui_stage: string | null;
            created_at: string;
          };
          return [customer_name, bohui_stage, created_at];
        });
      assert.deepEqual(rows(body(await desk('stage=kefu', kefu))), [
        ['王五', 'mianshen', '2024-06-01 10:02:00'],
        ['李四', null, '2024-06-01 10:01:00'],
        ['张三', null, '2024-06-01 10:00:00'],
      ]);
      assert.deepEqual(rows(body(await desk('stage=mianshen', mianshen))), [
        ['王五', 'mianshen', '2024-06-01 10:02:00'],
      ]);
    });

    it('filters 驳回 only, by city, by name, by the agent, with totals', async () => {
      const bohui = body(await desk('stage=kefu&is_bohui=1', kefu));
      assert.deepEqual([names(bohui), bohui.data.total, bohui.data.bohui_count], [['王五'], 1, 1]);
      const shanghai = body(await desk(`stage=kefu&city_key=${encodeURIComponent('上海市')}`, kefu));
      assert.deepEqual(
        [names(shanghai), shanghai.data.total, shanghai.data.bohui_count],
        [['王五', '李四'], 2, 1],
      );
      const named = body(
        await desk(`stage=kefu&customer_name=${encodeURIComponent('王五')}&is_bohui=1`, kefu),
      );
      assert.deepEqual([names(named), named.data.total], [['王五'], 1]);
      const agent = body(await desk('stage=kefu&user_mobile=13911112222', kefu));
      assert.equal(agent.data.total, 3);
      const nobody = body(await desk('stage=kefu&user_mobile=13900000000', kefu));
      assert.deepEqual([nobody.data.total, nobody.data.order_list], [0, []]);
    });

    it("exports what the desk lists, with the desk's filters", async () => {
      const exported = await t.app.inject({
        url: '/api/loan-orders/export.csv?stage=kefu&is_bohui=1',
        headers: bearer(kefu),
      });
      assert.equal(exported.statusCode, 200);
      const lines = exported.body.slice(1).split('\r\n').filter(Boolean);
      assert.equal(lines.length, 2, 'the header and 王五');
      assert.match(lines[1]!, new RegExp(`^${ids[2]},王五,`));
      assert.match(lines[1]!, /,是,/, '驳回 marked');
    });

    it("leaves 面审's desk as it was: the order it returned stays there to follow up", async () => {
      const answer = body(await desk('stage=mianshen', mianshen));
      assert.deepEqual([names(answer), answer.data.bohui_count], [['王五'], 1]);
    });
  });
});
