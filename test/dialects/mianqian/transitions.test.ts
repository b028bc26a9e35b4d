import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, body, startTestApp, type TestApp } from '../../helpers/test-app.js';
import { orderAtMianqian } from './fixtures.js';

describe('面签 transitions: order_pass, order_stop, order_return_kefu', () => {
  let t: TestApp;
  let mianqian: string;
  before(async () => {
    t = await startTestApp();
    mianqian = await t.tokenFor('mianqian');
  });
  after(() => t.close());

  const post = (url: string, token: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url, headers: bearer(token), payload });

  const orderRow = (id: string) =>
    t.db.kysely
      .selectFrom('loan_orders')
      .selectAll()
      .where('son_order_id', '=', id)
      .executeTakeFirstOrThrow();

  it('passes an order at 面签 on to 权证 and records a suggestion (type 7) and an audit row', async () => {
    const id = await orderAtMianqian(t);
    const res = await post('/order_mianqian/order_pass', mianqian, {
      son_order_id: id,
      mianqian_suggest: '资料核实无误',
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(body(res), { code: 1, msg: '面签通过成功', data: null });
    const row = await orderRow(id);
    assert.equal(row.stage, 'quanzheng');
    assert.equal(row.state, 'open');
    assert.equal(row.desk, 'quanzheng');
    assert.equal(row.mianqian_opt_time, t.clock.now());
    const suggestions = await t.db.kysely
      .selectFrom('loan_order_suggestions')
      .selectAll()
      .where('order_id', '=', row.id)
      .execute();
    assert.deepEqual(
      suggestions.map((s) => [s.suggest_type, s.content]),
      [
        [0, '客服通过'],
        [1, '面审通过'],
        [7, '面签通过：资料核实无误'],
      ],
    );
    const audit = await t.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', id)
      .orderBy('id')
      .execute();
    const last = audit.at(-1)!;
    assert.equal(last.action, 'pass');
    assert.equal(last.from_state, 'mianqian');
    assert.equal(last.to_state, 'quanzheng');
    assert.equal(last.reason, '资料核实无误');
    assert.match(last.actor, /^staff:\d+$/);
  });

  it('stops an order: it leaves every desk and can no longer be passed', async () => {
    const id = await orderAtMianqian(t);
    assert.equal(body(await post('/order_mianqian/order_stop', mianqian, { son_order_id: id })).code, 1);
    const row = await orderRow(id);
    assert.equal(row.state, 'stopped');
    assert.equal(row.desk, null);
    const again = body(await post('/order_mianqian/order_pass', mianqian, { son_order_id: id }));
    assert.deepEqual(again, { code: 0, errors: [], msg: '订单已终止，不能再操作' });
    assert.equal((await orderRow(id)).version, row.version, 'a refused pass changes nothing');
  });

  it('returns an order to 客服 as 驳回; it stays on the 面签 desk as rejected until it comes back', async () => {
    const id = await orderAtMianqian(t);
    const res = body(
      await post('/order_mianqian/order_return_kefu', mianqian, {
        son_order_id: id,
        mianqian_suggest: '缺少收入证明',
      }),
    );
    assert.equal(res.code, 1);
    let row = await orderRow(id);
    assert.deepEqual(
      [row.stage, row.is_bohui, row.bohui_stage, row.desk],
      ['kefu', 1, 'mianqian', 'mianqian'],
    );
    const list = body(
      await t.app.inject({ url: '/order_mianshen/ajax_get_list?is_bohui=1', headers: bearer(mianqian) }),
    );
    assert.ok(
      list.order_list.some(
        (o: { son_order_id: string; is_bohui: string }) => o.son_order_id === id && o.is_bohui === '1',
      ),
    );
    // 面签 may not act on it while it is back at 客服.
    const refused = body(await post('/order_mianqian/order_pass', mianqian, { son_order_id: id }));
    assert.equal(refused.code, 0);
    assert.equal(refused.msg, '订单当前在客服阶段，不在面签阶段，不能操作');
    // 客服 and 面审 pass it again: back at 面签 the 驳回 mark is cleared.
    for (const role of ['kefu', 'mianshen'] as const) {
      const token = await t.tokenFor(role);
      const moved = body(await post(`/api/loan-orders/${id}/pass`, token, {}));
      assert.equal(moved.code, 1, JSON.stringify(moved));
    }
    row = await orderRow(id);
    assert.deepEqual([row.stage, row.is_bohui, row.bohui_stage, row.desk], ['mianqian', 0, null, 'mianqian']);
  });

  it('refuses every transition to staff without the 面签 role, with nothing changed', async () => {
    const id = await orderAtMianqian(t);
    const kefu = await t.tokenFor('kefu', 'admin');
    const before = await orderRow(id);
    for (const url of [
      '/order_mianqian/order_pass',
      '/order_mianqian/order_stop',
      '/order_mianqian/order_return_kefu',
    ]) {
      const res = await post(url, kefu, { son_order_id: id });
      assert.equal(res.statusCode, 403);
      assert.deepEqual(body(res), { code: 0, errors: [], msg: '需要面签权限' });
    }
    assert.deepEqual(await orderRow(id), before);
  });

  it('refuses an order that is not at 面签 (still at 客服)', async () => {
    const kefu = await t.tokenFor('kefu');
    const created = body(
      await post('/api/loan-orders', kefu, {
        order_type: 1,
        city: '上海市',
        appointment_time: '2024-06-03 09:30:00',
        customer_name: '陈一',
      }),
    );
    const res = body(
      await post('/order_mianqian/order_pass', mianqian, { son_order_id: created.data.son_order_id }),
    );
    assert.equal(res.code, 0);
    assert.equal(res.msg, '订单当前在客服阶段，不在面签阶段，不能操作');
  });

  it('answers an unknown or malformed order number in the envelope', async () => {
    const unknown = body(
      await post('/order_mianqian/order_pass', mianqian, { son_order_id: '1602261137999' }),
    );
    assert.deepEqual(unknown, {
      code: 0,
      errors: [{ field: 'son_order_id', error: '订单不存在' }],
      msg: '订单不存在',
    });
    const malformed = body(await post('/order_mianqian/order_pass', mianqian, { son_order_id: 'abc' }));
    assert.deepEqual(malformed.errors, [{ field: 'son_order_id', error: '订单编号格式不正确' }]);
    const missing = body(await post('/order_mianqian/order_pass', mianqian, {}));
    assert.deepEqual(missing.errors, [{ field: 'son_order_id', error: '订单编号不能为空' }]);
  });

  it('lets exactly one of two concurrent passes win; the other is refused clearly', async () => {
    const id = await orderAtMianqian(t);
    const other = await t.tokenFor('mianqian');
    const results = await Promise.all([
      post('/order_mianqian/order_pass', mianqian, { son_order_id: id }),
      post('/order_mianqian/order_pass', other, { son_order_id: id }),
    ]);
    const codes = results.map((r) => body(r).code).sort();
    assert.deepEqual(codes, [0, 1]);
    const loser = results.map(body).find((b) => b.code === 0);
    assert.ok(
      ['订单已被他人修改，请刷新后重试', '订单当前在权证阶段，不在面签阶段，不能操作'].includes(loser.msg),
      loser.msg,
    );
    const row = await orderRow(id);
    assert.equal(row.stage, 'quanzheng');
    const passes = await t.db.kysely
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('entity_id', '=', id)
      .where('action', '=', 'pass')
      .where('from_state', '=', 'mianqian')
      .executeTakeFirstOrThrow();
    assert.equal(Number(passes.n), 1);
  });

  it('walks an order through every stage to approval; a 终审 pass approves it', async () => {
    const id = await orderAtMianqian(t);
    assert.equal(body(await post('/order_mianqian/order_pass', mianqian, { son_order_id: id })).code, 1);
    for (const role of ['quanzheng', 'shencha', 'zhongshen'] as const) {
      const token = await t.tokenFor(role);
      assert.equal(body(await post(`/api/loan-orders/${id}/pass`, token, {})).code, 1);
    }
    const row = await orderRow(id);
    assert.deepEqual([row.state, row.desk], ['approved', null]);
    const zhongshen = await t.tokenFor('zhongshen');
    const again = body(await post(`/api/loan-orders/${id}/pass`, zhongshen, {}));
    assert.equal(again.msg, '订单已审批完成，不能再操作');
  });
});
