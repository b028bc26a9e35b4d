import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closeOverdueOrders, remindExpiringCards } from '../../../src/modules/parking/parking.jobs.js';
import { addParkingUnits } from '../../../src/modules/parking/parking-order-dates.js';
import { createParkingOrdersModule } from '../../../src/modules/parking/parking-orders.module.js';
import { createDiskStorage } from '../../../src/platform/storage/index.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { filesUnder, JPEG, PDF, PNG, tempUploadsRoot } from '../../platform/storage/fixtures.js';
import {
  cardRow,
  orderParts,
  type ParkingWorld,
  renewalFields,
  seedParkingWorld,
} from './parking-orders-fixtures.js';

const DAY = 86_400_000;
const staff = { id: 1, username: 'reviewer', roles: ['admin'] as const };

describe('parking orders (module)', () => {
  let t: TestApp;
  let orders: ReturnType<typeof createParkingOrdersModule>;
  let world: ParkingWorld;
  let root: string;
  const sms: Array<{ phone: string; templateId: string; params: Record<string, string> }> = [];
  const logged: string[] = [];

  before(async () => {
    t = await startTestApp();
    root = tempUploadsRoot();
    const runtime = t.app.runtime;
    orders = createParkingOrdersModule({
      db: runtime.db.kysely,
      pii: runtime.pii,
      sms: {
        signName: '房通',
        templates: {},
        provider: {
          name: 'log',
          send: async (m) => {
            sms.push(m);
            return { ok: true, providerId: 'x', requestId: 'y' };
          },
        },
      },
      storage: createDiskStorage(root, t.app.runtime.pii.fileKey),
      uploads: { maxBytes: 5 * 1024 * 1024, maxFiles: 6 },
      payments: runtime.payments,
      log: (line) => logged.push(line),
    });
    world = await seedParkingWorld(runtime.db.kysely, runtime.pii, t.clock.now());
  });
  after(() => t.close());

  const card = (id: string) => cardRow(t.db.kysely, id);
  const order = (id: string) =>
    t.db.kysely.selectFrom('parking_orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const audits = (id: string) =>
    t.db.kysely.selectFrom('audit_log').selectAll().where('entity_id', '=', id).orderBy('id').execute();

  it('refuses every bad field at once, and keeps none of the files it had stored', async () => {
    const fields = renewalFields(world, {
      priceType: '03',
      productVId: 'ffffffffffffffffffffffffffffffff',
      firstOrgName: '理学院',
      secondOrgCode: '222001',
      duplicateCode: '',
      extraDataJson: JSON.stringify([
        { type: '1', name: '驾驶证', code: '0', content: 'a.png' },
        { type: '1', name: '身份证', code: '9', content: '' },
      ]),
    });
    await assert.rejects(
      orders.place(
        world.openId,
        orderParts(fields, [{ filename: 'a.png', bytes: PNG }, null]),
        t.clock.now(),
      ),
      (error: { code: string; fields: Array<{ field: string; error: string }> }) => {
        assert.equal(error.code, 'validation');
        assert.deepEqual(
          error.fields.map((f) => f.field),
          ['duplicateCode', 'productVId', 'priceType', 'firstOrgName', 'secondOrgCode', 'extraDataJson'],
        );
        assert.equal(error.fields[1]!.error, '产品版本已变更，请刷新后重新下单');
        assert.equal(error.fields[2]!.error, '产品价格类型只能是01(校内)或02(校外)');
        return true;
      },
    );
    assert.deepEqual(filesUnder(root), []);
  });

  it('refuses a text file named .jpg and a 6 MB file, naming each, and nothing stays on disk', async () => {
    const big = Buffer.concat([JPEG.subarray(0, 12), Buffer.alloc(6 * 1024 * 1024)]);
    await assert.rejects(
      orders.place(
        world.openId,
        orderParts(renewalFields(world), [
          { filename: 'photo.jpg', bytes: Buffer.from('just some text, not a picture at all') },
          { filename: 'big.jpg', bytes: big },
        ]),
        t.clock.now(),
      ),
      (error: { fields: Array<{ field: string; error: string }> }) => {
        assert.deepEqual(error.fields, [
          { field: 'files[0]', error: '第1个文件文件类型不支持，只接受JPEG、PNG或PDF' },
          { field: 'files[1]', error: '第2个文件文件超过5MB' },
        ]);
        return true;
      },
    );
    assert.deepEqual(filesUnder(root), []);
    assert.equal((await card(world.cardId)).state, 1, 'the card did not move');
  });

  it('refuses an over-long text item, an unparsable extraDataJson and a file for a text item', async () => {
    const long = renewalFields(world, {
      extraDataJson: JSON.stringify([
        { type: '1', name: '驾驶证', code: '0', content: '' },
        { type: '0', name: '在职证明', code: '2', content: '长'.repeat(201) },
      ]),
    });
    await assert.rejects(
      orders.place(
        world.openId,
        orderParts(long, [
          { filename: 'a.png', bytes: PNG },
          { filename: 'b.png', bytes: PNG },
        ]),
        t.clock.now(),
      ),
      (error: { fields: Array<{ field: string; error: string }> }) => {
        assert.deepEqual(error.fields, [
          { field: 'extraDataJson', error: '在职证明不能超过200个字符' },
          { field: 'files[1]', error: '在职证明是文本信息，不能上传文件' },
        ]);
        return true;
      },
    );
    await assert.rejects(
      orders.place(
        world.openId,
        orderParts(renewalFields(world, { extraDataJson: '[{' }), []),
        t.clock.now(),
      ),
      (error: { fields: Array<{ field: string; error: string }> }) => {
        assert.deepEqual(error.fields, [
          { field: 'extraDataJson', error: '额外信息格式不正确，应为[{type,name,code,content}]' },
        ]);
        return true;
      },
    );
    assert.deepEqual(filesUnder(root), []);
  });

  it('refuses more than PARKING_UPLOAD_MAX_FILES files and keeps none', async () => {
    const seven = Array.from({ length: 7 }, (_, i) => ({ filename: `p${i}.png`, bytes: PNG }));
    await assert.rejects(
      orders.place(world.openId, orderParts(renewalFields(world), seven), t.clock.now()),
      (error: { fields: Array<{ field: string; error: string }> }) => {
        assert.deepEqual(
          error.fields.filter((f) => f.field === 'files'),
          [
            { field: 'files', error: '上传文件数量与额外信息不符' },
            { field: 'files', error: '请上传驾驶证' },
            { field: 'files', error: '上传文件不能超过6个' },
          ],
        );
        return true;
      },
    );
    assert.deepEqual(filesUnder(root), []);
  });

  it('answers someone else like a missing record', async () => {
    const stranger = await seedParkingWorld(t.db.kysely, t.app.runtime.pii, t.clock.now(), {
      phone: '13900000001',
    });
    await assert.rejects(
      orders.place(
        stranger.openId,
        orderParts(renewalFields(world, { userInfoId: stranger.userId }), [
          { filename: 'a.png', bytes: PNG },
          null,
        ]),
        t.clock.now(),
      ),
      { code: 'not_found', message: '卡不存在' },
    );
    await assert.rejects(
      orders.place('sandbox-nobody', orderParts(renewalFields(world), []), t.clock.now()),
      { code: 'not_found', message: '用户不存在' },
    );
    assert.deepEqual(filesUnder(root), []);
  });

  let renewalId = '';
  it('places a renewal under review: PNG named .pdf taken by content, card renewing, second order refused', async () => {
    const now = t.clock.now();
    const before = await card(world.cardId);
    const view = await orders.place(
      world.openId,
      orderParts(renewalFields(world), [
        { filename: 'licence.pdf', bytes: PNG },
        { filename: 'car.jpg', bytes: JPEG },
      ]),
      now,
    );
    renewalId = view.omPrOrderId;
    const end = addParkingUnits(Number(before.end_dt), '4', 1);
    assert.deepEqual(view, {
      omPrOrderId: renewalId,
      omPrCardId: world.cardId,
      productName: '包月123',
      productId: world.productId,
      productVId: world.versionId,
      userInfoId: world.userId,
      count: '1',
      startDt: String(before.end_dt),
      endDt: String(end),
      amount: '4.00',
      state: '01',
      createDt: String(now),
      isAuditBeforePay: '1',
      auditStateBeforePay: '02',
      extraInfo: [
        {
          type: '1',
          name: '驾驶证',
          code: '0',
          content: `/parking/api/order/file?omPrOrderId=${renewalId}&slot=0`,
        },
        {
          type: '1',
          name: '行驶证1',
          code: '1',
          content: `/parking/api/order/file?omPrOrderId=${renewalId}&slot=1`,
        },
        { type: '0', name: '在职证明', code: '2', content: '在职' },
      ],
      cardType: '3',
      isLink: '1',
      paySucDt: '',
      orderType: '1',
    });
    assert.match(renewalId, /^[0-9a-f]{32}$/);
    const renewing = await card(world.cardId);
    assert.equal(renewing.state, 2);
    assert.equal(Number(renewing.renew_end_dt), end);
    assert.equal(renewing.last_order_id, renewalId);
    const detail = await orders.staff.get(staff, renewalId);
    assert.deepEqual(
      detail.files.map((f) => [f.slot, f.name, f.content_type, f.size]),
      [
        [0, '驾驶证', 'image/png', PNG.length],
        [1, '行驶证1', 'image/jpeg', JPEG.length],
      ],
    );
    assert.equal(filesUnder(root).length, 2);
    await assert.rejects(
      orders.place(
        world.openId,
        orderParts(renewalFields(world), [{ filename: 'a.pdf', bytes: PDF }, null]),
        now,
      ),
      { code: 'illegal_transition', message: '存在未完成的订单' },
    );
    assert.equal(filesUnder(root).length, 2, 'the refused order kept no file');
  });

  it('review before pay: pay refused while 审核中, approved, then paid; a replayed notify changes nothing', async () => {
    await assert.rejects(
      orders.pay(world.openId, { omPrOrderId: renewalId, openId: world.openId }, t.clock.now()),
      { message: '订单审核中，审核通过后才能支付' },
    );
    await assert.rejects(
      orders.pay(world.openId, { omPrOrderId: renewalId, openId: 'someone-else' }, t.clock.now()),
      { code: 'validation' },
    );
    const approved = await orders.staff.approve(staff, renewalId, t.clock.now());
    assert.equal(approved.audit_state, '03');
    assert.equal(approved.audited_by, 'reviewer');
    await assert.rejects(orders.staff.approve(staff, renewalId, t.clock.now()), {
      message: '订单不在审核中',
    });
    t.clock.advance(60_000);
    const before = await card(world.cardId);
    const pay = await orders.pay(
      world.openId,
      { omPrOrderId: renewalId, openId: world.openId },
      t.clock.now(),
    );
    assert.equal(pay.period, 300);
    assert.equal(pay.payState, 'CREATE');
    assert.match(pay.secuParam.package, /^prepay_id=/);
    assert.deepEqual(Object.keys(pay.secuParam).sort(), [
      'appId',
      'nonceStr',
      'package',
      'paySign',
      'signType',
      'timeStamp',
    ]);
    const again = await orders.pay(
      world.openId,
      { omPrOrderId: renewalId, openId: world.openId },
      t.clock.now(),
    );
    assert.equal(again.prPayId, pay.prPayId, 'a retried pay answers the same payment');
    const sandbox = t.app.runtime.sandboxV3()!;
    assert.equal(await sandbox.settle(pay.prPayId, 'SUCCESS'), 204);
    const paid = await order(renewalId);
    assert.equal(paid.state, '03');
    assert.equal(Number(paid.pay_suc_dt), t.clock.now());
    const end = addParkingUnits(Number(before.end_dt), '4', 1);
    const extended = await card(world.cardId);
    assert.equal(extended.state, 1);
    assert.equal(Number(extended.end_dt), end);
    assert.equal(Number(paid.prev_end_dt), Number(before.end_dt));
    const auditCount = (await audits(renewalId)).length;
    const replay = sandbox.notify(pay.prPayId);
    const res = await t.app.inject({
      method: 'POST',
      url: '/payments/wechat/v3/notify',
      headers: { ...replay.headers, 'content-type': 'application/json' },
      payload: replay.body,
    });
    assert.equal(res.statusCode, 204);
    assert.equal((await audits(renewalId)).length, auditCount);
    assert.equal(Number((await card(world.cardId)).end_dt), end);
    await assert.rejects(
      orders.pay(world.openId, { omPrOrderId: renewalId, openId: world.openId }, t.clock.now()),
      { message: '订单已支付' },
    );
  });

  it('a refund goes 03 → 21 → 22 on its notify and the card ends where it did before', async () => {
    const before = await order(renewalId);
    const refunded = await orders.staff.refund(staff, renewalId, '用户申请退款', t.clock.now());
    assert.equal(refunded.state, '21');
    assert.equal(refunded.refund.amount_fen, 400);
    await assert.rejects(orders.staff.refund(staff, renewalId, '再退一次', t.clock.now()), {
      message: '只有已支付的订单可以退款',
    });
    const sandbox = t.app.runtime.sandboxV3()!;
    assert.equal(await sandbox.settleRefund(refunded.refund.out_refund_no, 'SUCCESS'), 204);
    assert.equal((await order(renewalId)).state, '22');
    assert.equal(Number((await card(world.cardId)).end_dt), Number(before.prev_end_dt));
    assert.equal(await sandbox.settleRefund(refunded.refund.out_refund_no, 'SUCCESS'), 204, 'replayed');
    assert.equal((await order(renewalId)).state, '22');
  });

  it('a refused review closes the order and the card is valid again', async () => {
    const view = await orders.place(
      world.openId,
      orderParts(renewalFields(world, { priceType: '01' }), [{ filename: 'a.jpg', bytes: JPEG }, null]),
      t.clock.now(),
    );
    assert.equal(view.amount, '0.01');
    await assert.rejects(orders.staff.refuse(staff, view.omPrOrderId, ' ', t.clock.now()), {
      code: 'validation',
    });
    const refused = await orders.staff.refuse(staff, view.omPrOrderId, '驾驶证不清晰', t.clock.now());
    assert.deepEqual(
      [refused.state, refused.audit_state, refused.audit_reason],
      ['81', '04', '驾驶证不清晰'],
    );
    assert.equal((await card(world.cardId)).state, 1);
    const queue = await orders.staff.list(staff, { audit_state: '04' });
    assert.deepEqual(
      queue.orders.map((o) => o.id),
      [view.omPrOrderId],
    );
  });

  it('an unpaid first purchase times out after 300 s: 81, the card -1, the WeChat order closed', async () => {
    const fields = renewalFields(world, {
      omPrCardId: world.newCardId,
      pmSetrentId: world.plainProductId,
      productVId: world.plainVersionId,
    });
    const start = t.clock.now();
    const view = await orders.place(
      world.openId,
      orderParts(fields, [{ filename: 'a.png', bytes: PNG }, null]),
      start,
    );
    assert.deepEqual(
      [view.orderType, view.isAuditBeforePay, view.auditStateBeforePay, view.amount, view.startDt],
      ['0', '0', '01', '480.00', String(start)],
    );
    assert.equal(view.endDt, String(addParkingUnits(start, '5', 1)));
    const pay = await orders.pay(
      world.openId,
      { omPrOrderId: view.omPrOrderId, openId: world.openId },
      start,
    );
    const deps = { db: t.db.kysely, payments: t.app.runtime.payments } as never;
    t.clock.advance(299_000);
    assert.equal(await closeOverdueOrders(deps, t.clock.now()), 0);
    t.clock.advance(1_000);
    assert.equal(await closeOverdueOrders(deps, t.clock.now()), 1);
    assert.equal(await closeOverdueOrders(deps, t.clock.now()), 0, 'a second run finds nothing');
    assert.equal((await order(view.omPrOrderId)).state, '81');
    assert.equal((await card(world.newCardId)).state, -1);
    const payment = await t.db.kysely
      .selectFrom('payments')
      .selectAll()
      .where('out_trade_no', '=', pay.prPayId)
      .executeTakeFirstOrThrow();
    assert.equal(payment.status, 'closed');
    await assert.rejects(
      orders.pay(world.openId, { omPrOrderId: view.omPrOrderId, openId: world.openId }, t.clock.now()),
      { message: '订单已超时关闭，请重新下单' },
    );
  });

  it('a timed-out card (-1) is bought again: the new first purchase reopens it to 0, audited, and pays to 1', async () => {
    assert.equal((await card(world.newCardId)).state, -1);
    const fields = renewalFields(world, {
      omPrCardId: world.newCardId,
      pmSetrentId: world.plainProductId,
      productVId: world.plainVersionId,
    });
    const start = t.clock.now();
    const view = await orders.place(
      world.openId,
      orderParts(fields, [{ filename: 'a.png', bytes: PNG }, null]),
      start,
    );
    assert.deepEqual([view.orderType, view.state, view.startDt], ['0', '01', String(start)]);
    const reopened = await card(world.newCardId);
    assert.equal(reopened.state, 0);
    assert.equal(reopened.last_order_id, view.omPrOrderId);
    const cardAudits = (await audits(world.newCardId)).map((a) => [
      a.actor,
      a.action,
      a.from_state,
      a.to_state,
      a.reason,
    ]);
    assert.deepEqual(cardAudits.at(-1), [
      `parking:${world.openId}`,
      'state',
      '-1',
      '0',
      `重新购买订单${view.omPrOrderId}`,
    ]);
    await assert.rejects(
      orders.place(world.openId, orderParts(fields, [{ filename: 'a.png', bytes: PNG }, null]), start),
      { code: 'illegal_transition' },
      'still one open order per card',
    );
    const pay = await orders.pay(
      world.openId,
      { omPrOrderId: view.omPrOrderId, openId: world.openId },
      t.clock.now(),
    );
    assert.equal(await t.app.runtime.sandboxV3()!.settle(pay.prPayId, 'SUCCESS'), 204);
    assert.equal((await order(view.omPrOrderId)).state, '03');
    const bought = await card(world.newCardId);
    assert.equal(bought.state, 1);
    assert.equal(Number(bought.end_dt), addParkingUnits(t.clock.now(), '5', 1));
  });

  /**
   * Job deps texting into `sms` under `templates` (the channel's template per purpose), logging
   * into `logged`; with `refusal`, the provider fails every text with that code (of `kind`) instead.
   */
  const reminderDeps = (
    templates: Record<string, string>,
    refusal?: string,
    kind: 'refused' | 'unavailable' = 'refused',
  ) =>
    ({
      db: t.db.kysely,
      pii: t.app.runtime.pii,
      sms: {
        signName: '房通',
        templates,
        provider: {
          name: 'log',
          send: async (m: { phone: string; templateId: string; params: Record<string, string> }) => {
            if (refusal) return { ok: false, kind, code: refusal, message: '触发天级流控' };
            sms.push(m);
            return { ok: true, providerId: 'x', requestId: 'y' };
          },
        },
      },
      log: (line: string) => logged.push(line),
    }) as never;

  it('reminds once per end date, 7 days before, under the reminder’s own template', async () => {
    const c = await card(world.cardId);
    t.clock.set(Number(c.end_dt) - 8 * DAY);
    const deps = reminderDeps({ parking: 'SMS_PARKING_CODE', parking_reminder: 'SMS_PARKING_REMINDER' });
    assert.equal(await remindExpiringCards(deps, t.clock.now()), 0);
    t.clock.set(Number(c.end_dt) - 6 * DAY);
    // Only the code's template configured: the reminder is not sent under the code's wording.
    assert.equal(await remindExpiringCards(reminderDeps({ parking: 'SMS_PARKING_CODE' }), t.clock.now()), 0);
    assert.equal(sms.length, 0);
    // This user's card and the stranger's (ending 10 days after the start) are both in the window.
    assert.equal(await remindExpiringCards(deps, t.clock.now()), 2);
    assert.equal(await remindExpiringCards(deps, t.clock.now()), 0, 'once per end date');
    assert.deepEqual(sms.map((m) => m.phone).sort(), ['13900000001', '15245263262']);
    for (const m of sms) {
      assert.equal(m.templateId, 'SMS_PARKING_REMINDER');
      assert.deepEqual(Object.keys(m.params), ['date'], 'the template’s one parameter, the end date');
      assert.match(m.params.date!, /^\d{4}-\d{2}-\d{2}$/);
      assert.equal((m as { text?: string }).text, `您的校园包月车位将于${m.params.date}到期，请及时续费。`);
    }
  });

  const reminderTemplates = { parking_reminder: 'SMS_PARKING_REMINDER' };
  /** The card's end moved on past the reminders before (so it earns a new one), the clock 6 days before it. */
  const endMovedOn = async () => {
    const c = await card(world.cardId);
    const end = Number(c.end_dt) + 40 * DAY;
    await t.db.kysely.updateTable('parking_cards').set({ end_dt: end }).where('id', '=', c.id).execute();
    t.clock.set(end - 6 * DAY);
    return { c, end };
  };

  it('a reminder the provider refuses is logged with its card and code, and not sent again for that end date', async () => {
    const { c } = await endMovedOn();
    const templates = reminderTemplates;
    const before = { sms: sms.length, logged: logged.length };
    assert.equal(
      await remindExpiringCards(reminderDeps(templates, 'isv.BUSINESS_LIMIT_CONTROL'), t.clock.now()),
      0,
    );
    assert.deepEqual(logged.slice(before.logged), [
      `parking reminder for card ${c.id} not sent: isv.BUSINESS_LIMIT_CONTROL`,
    ]);
    // A refusal would be refused again: not retried for this end date.
    assert.equal(await remindExpiringCards(reminderDeps(templates), t.clock.now()), 0);
    assert.equal(sms.length, before.sms);
  });

  it('a reminder the provider could not take (down, timed out) is tried again by the next run, and sent once', async () => {
    const { c, end } = await endMovedOn();
    const templates = reminderTemplates;
    const before = { sms: sms.length, logged: logged.length, reminded: (await card(c.id)).reminded_end_dt };
    assert.equal(
      await remindExpiringCards(reminderDeps(templates, 'TIMEOUT', 'unavailable'), t.clock.now()),
      0,
    );
    assert.deepEqual(logged.slice(before.logged), [
      `parking reminder for card ${c.id} not sent: TIMEOUT; tried again next run`,
    ]);
    // The claim was given back: the card reads as it did before the run.
    assert.equal((await card(c.id)).reminded_end_dt, before.reminded);
    assert.equal(await remindExpiringCards(reminderDeps(templates), t.clock.now()), 1);
    assert.deepEqual(
      sms.slice(before.sms).map((m) => m.phone),
      ['15245263262'],
      'the card holder, texted once',
    );
    assert.equal(Number((await card(c.id)).reminded_end_dt), end);
    assert.equal(await remindExpiringCards(reminderDeps(templates), t.clock.now()), 0, 'once sent, once');
  });
});
