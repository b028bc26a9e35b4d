import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, body, startTestApp, type TestApp } from '../../helpers/test-app.js';
import {
  orderParts,
  type ParkingWorld,
  renewalFields,
  seedParkingWorld,
} from '../../modules/parking/parking-orders-fixtures.js';
import { JPEG, PNG } from '../../platform/storage/fixtures.js';

describe('back office: parking orders (review, documents, refunds)', () => {
  let t: TestApp;
  let world: ParkingWorld;
  let reviewer: string;
  let kefu: string;
  let orderId: string;

  before(async () => {
    t = await startTestApp();
    world = await seedParkingWorld(t.db.kysely, t.app.runtime.pii, t.clock.now());
    reviewer = await t.tokenFor('parking');
    kefu = await t.tokenFor('kefu');
    const placed = await t.app.runtime.modules.parkingOrders.place(
      world.openId,
      orderParts(renewalFields(world), [
        { filename: 'licence.pdf', bytes: PNG },
        { filename: 'car.jpg', bytes: JPEG },
      ]),
      t.clock.now(),
    );
    orderId = placed.omPrOrderId;
  });
  after(() => t.close());

  const get = (url: string, token = reviewer) => t.app.inject({ method: 'GET', url, headers: bearer(token) });
  const post = (url: string, payload: object = {}, token = reviewer) =>
    t.app.inject({ method: 'POST', url, headers: bearer(token), payload });

  it('lists the review queue with every order field, paged', async () => {
    const res = await get('/api/parking/orders?audit_state=02&page=1&page_size=10');
    assert.equal(res.statusCode, 200);
    const answer = body(res);
    assert.equal(answer.code, 1, res.body);
    assert.equal(answer.data.total, 1);
    assert.deepEqual([answer.data.page, answer.data.page_size], [1, 10]);
    const order = answer.data.orders[0];
    assert.equal(order.id, orderId);
    assert.deepEqual(
      [order.state, order.audit_state, order.amount_fen, order.order_type, order.price_type, order.card_id],
      ['01', '02', 400, 1, '02', world.cardId],
    );
    assert.deepEqual(order.extra_info, [
      { type: '1', name: '驾驶证', code: '0', content: '', slot: 0 },
      { type: '1', name: '行驶证1', code: '1', content: '', slot: 1 },
      { type: '0', name: '在职证明', code: '2', content: '在职' },
    ]);
    assert.equal(body(await get('/api/parking/orders?audit_state=03')).data.total, 0);
    const bad = body(await get('/api/parking/orders?audit_state=09&state=77'));
    assert.equal(bad.code, 0);
    assert.deepEqual(
      bad.errors.map((e: { field: string }) => e.field),
      ['audit_state', 'state'],
    );
  });

  it('shows an order with its files, and gives staff the bytes as an attachment of the detected type', async () => {
    const detail = body(await get(`/api/parking/orders/${orderId}`));
    assert.equal(detail.data.id, orderId);
    assert.deepEqual(
      detail.data.files.map((f: { slot: number; name: string; content_type: string; size: number }) => [
        f.slot,
        f.name,
        f.content_type,
        f.size,
      ]),
      [
        [0, '驾驶证', 'image/png', PNG.length],
        [1, '行驶证1', 'image/jpeg', JPEG.length],
      ],
    );
    const fileId = detail.data.files[0].id;
    const file = await get(`/api/parking/orders/${orderId}/files/${fileId}`);
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers['content-type'], 'image/png');
    assert.equal(file.headers['x-content-type-options'], 'nosniff');
    assert.match(
      String(file.headers['content-disposition']),
      /^attachment; filename="[0-9a-f]{32}-\d+\.png"$/,
    );
    assert.deepEqual(file.rawPayload, PNG);
    assert.equal((await get(`/api/parking/orders/${orderId}/files/999999`)).statusCode, 404);
  });

  it('refuses staff without the parking role (403) and callers without a session (401)', async () => {
    const forbidden = await get(`/api/parking/orders/${orderId}`, kefu);
    assert.equal(forbidden.statusCode, 403);
    assert.equal(body(forbidden).msg, '需要停车场审核权限');
    const fileId = body(await get(`/api/parking/orders/${orderId}`)).data.files[0].id;
    assert.equal((await get(`/api/parking/orders/${orderId}/files/${fileId}`, kefu)).statusCode, 403);
    assert.equal((await post(`/api/parking/orders/${orderId}/approve`, {}, kefu)).statusCode, 403);
    const anonymous = await t.app.inject({
      method: 'GET',
      url: `/api/parking/orders/${orderId}/files/${fileId}`,
    });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(body(await get(`/api/parking/orders/${orderId}`)).data.audit_state, '02', 'nothing changed');
  });

  it('approves once (409 after), 404 for an unknown order, and refunds only a paid order', async () => {
    const approved = await post(`/api/parking/orders/${orderId}/approve`);
    assert.equal(approved.statusCode, 200);
    assert.deepEqual(
      [body(approved).data.audit_state, body(approved).data.audited_by, body(approved).msg],
      ['03', 't1-parking', '审核通过'],
    );
    const again = await post(`/api/parking/orders/${orderId}/approve`);
    assert.equal(again.statusCode, 409);
    assert.equal(body(again).msg, '订单不在审核中');
    const refuse = await post(`/api/parking/orders/${orderId}/refuse`, { reason: '迟了' });
    assert.equal(refuse.statusCode, 409);
    const unknown = await post(`/api/parking/orders/${'0'.repeat(32)}/approve`);
    assert.equal(unknown.statusCode, 404);
    assert.equal(body(unknown).msg, '订单不存在');
    const unpaid = await post(`/api/parking/orders/${orderId}/refund`, { reason: '用户申请' });
    assert.equal(unpaid.statusCode, 409);
    assert.equal(body(unpaid).msg, '只有已支付的订单可以退款');
  });

  it('pays, refunds through the route and settles on the refund notify', async () => {
    const orders = t.app.runtime.modules.parkingOrders;
    const pay = await orders.pay(world.openId, { omPrOrderId: orderId, openId: world.openId }, t.clock.now());
    const sandbox = t.app.runtime.sandboxV3()!;
    assert.equal(await sandbox.settle(pay.prPayId, 'SUCCESS'), 204);
    const paid = body(await get(`/api/parking/orders/${orderId}`)).data;
    assert.equal(paid.state, '03');
    const noReason = await post(`/api/parking/orders/${orderId}/refund`, { reason: '' });
    assert.equal(body(noReason).code, 0);
    assert.equal(body(noReason).errors[0].field, 'reason');
    const refund = await post(`/api/parking/orders/${orderId}/refund`, { reason: '用户申请退款' });
    assert.equal(refund.statusCode, 200);
    const refunded = body(refund).data;
    assert.equal(refunded.state, '21');
    assert.equal(refunded.refund.amount_fen, 400);
    assert.equal(await sandbox.settleRefund(refunded.refund.out_refund_no, 'SUCCESS'), 204);
    const done = body(await get(`/api/parking/orders/${orderId}`)).data;
    assert.equal(done.state, '22');
    const card = await t.db.kysely
      .selectFrom('parking_cards')
      .selectAll()
      .where('id', '=', world.cardId)
      .executeTakeFirstOrThrow();
    assert.equal(Number(card.end_dt), paid.prev_end_dt);
    assert.equal(body(await get('/api/parking/orders?state=22')).data.orders[0].id, orderId);
  });
});
