import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, body, startTestApp, type TestApp } from '../../helpers/test-app.js';

describe('back-office API: 客服 opens orders, each stage moves them on', () => {
  let t: TestApp;
  let kefu: string;
  before(async () => {
    t = await startTestApp();
    kefu = await t.tokenFor('kefu');
  });
  after(() => t.close());

  const create = (token: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/loan-orders', headers: bearer(token), payload });

  it('opens an agency order at 客服 with a spec-shaped number, an agent and an audit row', async () => {
    const res = body(
      await create(kefu, {
        order_type: '0',
        city: '北京市',
        appointment_time: '2024-06-03 14:30:00',
        customer_name: '周八',
        user_realname: '钱中介',
        user_mobile: '13500001111',
      }),
    );
    assert.equal(res.code, 1);
    assert.equal(res.data.son_order_id, '2406011000001', 'yyMMddHHmm of the Beijing minute + 001');
    const second = body(
      await create(kefu, {
        order_type: 1,
        city: '上海市',
        appointment_time: '2024-06-03 15:00',
        customer_name: '吴九',
      }),
    );
    assert.equal(second.data.son_order_id, '2406011000002');
    const row = await t.db.kysely
      .selectFrom('loan_orders')
      .selectAll()
      .where('son_order_id', '=', res.data.son_order_id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      [row.stage, row.state, row.desk, row.city, row.customer_name],
      ['kefu', 'open', 'kefu', '北京市', '周八'],
    );
    assert.equal(row.appointment_time, Date.parse('2024-06-03T14:30:00+08:00'));
    const agent = await t.db.kysely
      .selectFrom('agents')
      .selectAll()
      .where('u_id', '=', row.agent_id)
      .executeTakeFirstOrThrow();
    assert.equal(agent.realname, '钱中介');
    assert.ok(!agent.mobile_enc.includes('13500001111'));
    const audit = body(
      await t.app.inject({ url: `/api/loan-orders/${res.data.son_order_id}/audit`, headers: bearer(kefu) }),
    ).data.audit;
    assert.deepEqual(
      audit.map((a: { action: string; from_state: string | null; to_state: string }) => [
        a.action,
        a.from_state,
        a.to_state,
      ]),
      [['create', null, 'kefu']],
    );
  });

  it('reuses an agent found by mobile', async () => {
    const payload = {
      order_type: 0,
      city: '北京市',
      appointment_time: '2024-06-04 09:00:00',
      customer_name: '郑十',
      user_realname: '钱中介',
      user_mobile: '+8613500001111',
    };
    await create(kefu, payload);
    const agents = await t.db.kysely.selectFrom('agents').select('u_id').execute();
    assert.equal(agents.length, 1);
  });

  it('reports every bad field of a new order at once', async () => {
    const res = body(
      await create(kefu, {
        order_type: 0,
        city: '广州市',
        appointment_time: '2024-06-31 10:00',
        customer_name: '王',
      }),
    );
    assert.deepEqual(res.errors, [
      { field: 'city', error: '城市不在可选范围内' },
      { field: 'appointment_time', error: '预约时间格式应为 YYYY-MM-DD HH:mm:ss' },
      { field: 'customer_name', error: '客户姓名不能少于2个字符' },
      { field: 'user_realname', error: '中介姓名不能为空' },
      { field: 'user_mobile', error: '中介电话不能为空' },
    ]);
  });

  it('only 客服 opens orders', async () => {
    const mianqian = await t.tokenFor('mianqian');
    const res = await create(mianqian, {
      order_type: 1,
      city: '北京市',
      appointment_time: '2024-06-04 09:00:00',
      customer_name: '郑十',
    });
    assert.equal(res.statusCode, 403);
    assert.equal(body(res).msg, '需要客服权限');
  });

  it('lists a stage queue to its own staff, and moves an order only with the stage role', async () => {
    const queue = body(await t.app.inject({ url: '/api/loan-orders?stage=kefu', headers: bearer(kefu) }));
    assert.equal(queue.data.total, 3);
    assert.equal(queue.data.order_list[0].son_order_id, '2406011000003');
    const id = queue.data.order_list[0].son_order_id;
    const mianshen = await t.tokenFor('mianshen');
    const wrongRole = await t.app.inject({
      method: 'POST',
      url: `/api/loan-orders/${id}/pass`,
      headers: bearer(mianshen),
      payload: {},
    });
    assert.equal(wrongRole.statusCode, 403);
    assert.equal(body(wrongRole).msg, '需要客服权限');
    const notYours = await t.app.inject({ url: '/api/loan-orders?stage=kefu', headers: bearer(mianshen) });
    assert.equal(notYours.statusCode, 403);
    const passed = body(
      await t.app.inject({
        method: 'POST',
        url: `/api/loan-orders/${id}/pass`,
        headers: bearer(kefu),
        payload: { reason: '资料齐全' },
      }),
    );
    assert.deepEqual(passed.data, { son_order_id: id, stage: 'mianshen', state: 'open', is_bohui: 0 });
    const returned = body(
      await t.app.inject({
        method: 'POST',
        url: `/api/loan-orders/${id}/return_kefu`,
        headers: bearer(mianshen),
        payload: { reason: '征信不清' },
      }),
    );
    assert.deepEqual(returned.data, { son_order_id: id, stage: 'kefu', state: 'open', is_bohui: 1 });
    const suggestions = await t.db.kysely
      .selectFrom('loan_order_suggestions')
      .innerJoin('loan_orders', 'loan_orders.id', 'loan_order_suggestions.order_id')
      .select(['suggest_type', 'content'])
      .where('son_order_id', '=', id)
      .orderBy('loan_order_suggestions.id')
      .execute();
    assert.deepEqual(suggestions, [
      { suggest_type: 0, content: '客服通过：资料齐全' },
      { suggest_type: 6, content: '面审返回客服：征信不清' },
    ]);
    const cannotReturnFromKefu = body(
      await t.app.inject({
        method: 'POST',
        url: `/api/loan-orders/${id}/return_kefu`,
        headers: bearer(kefu),
        payload: {},
      }),
    );
    assert.equal(cannotReturnFromKefu.msg, '订单已在客服阶段，无需返回');
  });
});
