import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { formatShanghaiDateTime } from '../../src/core/time.js';
import { topSign } from '../../src/core/top-sign.js';
import { balance, checkLedger } from '../../src/modules/ledger/index.js';
import { DEMO_ISV_APP_KEY, DEMO_ISV_SECRET } from '../../src/seed/demo-escrow.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('the escrow demo (FANGTONG_DEMO=1)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ demo: true });
  });
  after(() => t.close());

  it('holds the documented ISV, an invitation waiting for both parties and one both signed with its deposit held', async () => {
    const orders = await t.db.kysely
      .selectFrom('escrow_orders')
      .select(['source_no', 'state', 'house_order_no'])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      orders.map((o) => [o.source_no, o.state]),
      [
        ['DEMO-WAITING', 'inviting'],
        ['DEMO-SIGNED', 'signed'],
      ],
    );
    // The documented key and secret call the gateway as any ISV would.
    const params: Record<string, string> = {
      method: 'tmall.alihouse.trade.order.second.house.get',
      app_key: DEMO_ISV_APP_KEY,
      timestamp: formatShanghaiDateTime(t.clock.now()),
      v: '2.0',
      sign_method: 'md5',
      format: 'json',
      house_order_no: orders[1]!.house_order_no,
    };
    const res = await t.app.inject({
      method: 'GET',
      url: `/router/rest?${new URLSearchParams({ ...params, sign: topSign(params, DEMO_ISV_SECRET, 'md5') })}`,
    });
    const data = res.json().tmall_alihouse_trade_order_second_house_get_response.result.data;
    assert.equal(data.state, 'signed');
    assert.ok(data.parties.escrow_party.every((p: { accepted_at: number | null }) => p.accepted_at !== null));
    // The buyer's deposit (定金) was paid into escrow: the ledger holds it, and adds up.
    const held = await balance(t.db.kysely, `escrow:${orders[1]!.house_order_no}:held`);
    assert.equal(held.net, 10_000_000);
    const check = await checkLedger(t.db.kysely);
    assert.deepEqual([check.ok, check.problems], [true, []]);
  });
});
