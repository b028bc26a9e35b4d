import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, body, startTestApp, type TestApp } from '../../helpers/test-app.js';

describe('the order page of every stage: GET /api/loan-orders/:son_order_id, and who acted in its audit trail', () => {
  let t: TestApp;
  let kefu: string;
  let mianshen: string;
  let quanzheng: string;
  let admin: string;
  let id: string;

  before(async () => {
    t = await startTestApp();
    kefu = await t.tokenFor('kefu');
    mianshen = await t.tokenFor('mianshen');
    quanzheng = await t.tokenFor('quanzheng');
    admin = await t.tokenFor('admin');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/loan-orders',
      headers: bearer(kefu),
      payload: {
        order_type: 0,
        city: '上海市',
        appointment_time: '2024-06-02 10:00:00',
        customer_name: '赵六',
        user_realname: '迟兴旺',
        user_mobile: '13911112222',
      },
    });
    id = body(created).data.son_order_id;
    t.clock.advance(60_000);
    const passed = await t.app.inject({
      method: 'POST',
      url: `/api/loan-orders/${id}/pass`,
      headers: bearer(kefu),
      payload: { reason: '资料齐全' },
    });
    assert.equal(body(passed).code, 1, passed.body);
  });
  after(() => t.close());

  it('answers where the order is and its whole detail to any stage clerk', async () => {
    for (const token of [mianshen, quanzheng]) {
      const answer = body(await t.app.inject({ url: `/api/loan-orders/${id}`, headers: bearer(token) }));
      assert.equal(answer.code, 1, JSON.stringify(answer));
      assert.deepEqual(answer.data.position, {
        stage: 'mianshen',
        stage_label: '面审',
        state: 'open',
        is_bohui: 0,
        bohui_stage: null,
      });
      assert.equal(answer.data.order_info.son_order_id, Number(id));
      assert.equal(answer.data.user_info.realname, '迟兴旺');
      assert.equal(answer.data.user_info.u_mobile, '13911112222');
      assert.equal(answer.data.house_info.house_province, '上海市');
      // The catalogs the labels come from, as order_detail gives them.
      assert.ok(Array.isArray(answer.data.production_list));
    }
  });

  it('refuses staff without a loan stage, an unknown order and a malformed number, in the envelope', async () => {
    const forbidden = await t.app.inject({ url: `/api/loan-orders/${id}`, headers: bearer(admin) });
    assert.equal(forbidden.statusCode, 403);
    assert.deepEqual(body(forbidden), { code: 0, errors: [], msg: '需要业务环节权限' });
    const unknown = body(
      await t.app.inject({ url: '/api/loan-orders/1999999999999', headers: bearer(quanzheng) }),
    );
    assert.deepEqual(unknown, {
      code: 0,
      errors: [{ field: 'son_order_id', error: '订单不存在' }],
      msg: '订单不存在',
    });
    const malformed = body(await t.app.inject({ url: '/api/loan-orders/12ab', headers: bearer(quanzheng) }));
    assert.equal(malformed.code, 0);
    assert.deepEqual(
      malformed.errors.map((e: { field: string }) => e.field),
      ['son_order_id'],
    );
    assert.equal((await t.app.inject({ url: `/api/loan-orders/${id}` })).statusCode, 401);
  });

  it('names the clerk behind each staff step of the audit trail', async () => {
    const trail = body(
      await t.app.inject({ url: `/api/loan-orders/${id}/audit`, headers: bearer(mianshen) }),
    );
    assert.equal(trail.code, 1);
    const steps = trail.data.audit.map(
      (step: { actor: string; actor_name: string | null; reason: string | null }) => [
        step.actor.replace(/\d+$/, 'N'),
        step.actor_name,
        step.reason,
      ],
    );
    assert.ok(steps.length >= 2, JSON.stringify(steps));
    for (const [actor, name] of steps) {
      assert.equal(actor, 'staff:N');
      assert.match(String(name), /^t\d+-kefu$/);
    }
    assert.ok(steps.some(([, , reason]: [string, string, string | null]) => reason === '资料齐全'));
  });
});
