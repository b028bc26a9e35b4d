import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { formatShanghaiDate } from '../../../src/core/time.js';
import { DEMO_ORDER_ID } from '../../../src/seed/demo.js';
import { seedSyntheticOrders } from '../../../src/seed/synthetic-orders.js';
import { bearer, body, startTestApp, type TestApp } from '../../helpers/test-app.js';

interface Row {
  son_order_id: string;
  customer_name: string;
  customer_mobile: string;
  customer_mobile_masked: string;
  user_name: string;
  user_mobile: string;
  city: string;
  is_bohui: number;
  appointment_time: number | null;
  mianqian_opt_time: number | null;
}

describe('GET /order_mianshen/ajax_get_list and /order_mianqian/index', () => {
  let t: TestApp;
  let token: string;
  let desk: Row[];
  before(async () => {
    t = await startTestApp({ demo: true });
    token = await t.tokenFor('mianqian');
    // The truth to compare against: every order on the 面签 desk, read directly.
    const rows = await t.db.kysely
      .selectFrom('loan_orders')
      .leftJoin('loan_order_people', (j) =>
        j
          .onRef('loan_order_people.order_id', '=', 'loan_orders.id')
          .on('loan_order_people.role', '=', 'customer'),
      )
      .leftJoin('agents', 'agents.u_id', 'loan_orders.agent_id')
      .select([
        'son_order_id',
        'customer_name',
        'loan_order_people.mobile_enc',
        'loan_order_people.mobile_masked',
        'agents.realname',
        'agents.mobile_enc as agent_mobile_enc',
        'city',
        'is_bohui',
        'appointment_time',
        'mianqian_opt_time',
      ])
      .where('desk', '=', 'mianqian')
      .orderBy('loan_orders.created_at', 'desc')
      .orderBy('loan_orders.id', 'desc')
      .execute();
    const pii = t.app.runtime.pii;
    desk = rows.map((r) => ({
      son_order_id: r.son_order_id,
      customer_name: r.customer_name ?? '',
      customer_mobile: r.mobile_enc ? pii.decrypt(r.mobile_enc) : '',
      customer_mobile_masked: r.mobile_masked ?? '',
      user_name: r.realname ?? '',
      user_mobile: r.agent_mobile_enc ? pii.decrypt(r.agent_mobile_enc) : '',
      city: r.city,
      is_bohui: r.is_bohui,
      appointment_time: r.appointment_time,
      mianqian_opt_time: r.mianqian_opt_time,
    }));
    assert.ok(desk.length > 40, `the demo data puts enough orders on the 面签 desk (${desk.length})`);
    assert.ok(desk.some((r) => r.is_bohui === 1) && desk.some((r) => r.city === '上海市'));
  });
  after(() => t.close());

  const list = async (query: Record<string, string>) => {
    const res = await t.app.inject({
      url: `/order_mianshen/ajax_get_list?${new URLSearchParams(query)}`,
      headers: bearer(token),
    });
    assert.equal(res.statusCode, 200);
    return body(res);
  };

  const expectMatches = async (query: Record<string, string>, keep: (r: Row) => boolean) => {
    const matching = desk.filter(keep);
    const withoutBohuiFilter = desk.filter((r) => keep({ ...r, is_bohui: 1 }) || keep({ ...r, is_bohui: 0 }));
    const first = await list(query);
    assert.equal(
      first.page_count,
      Math.ceil(matching.length / 20),
      `page_count for ${JSON.stringify(query)}`,
    );
    assert.equal(
      first.bohui_count,
      withoutBohuiFilter.filter((r) => r.is_bohui === 1).length,
      `bohui_count for ${JSON.stringify(query)}`,
    );
    const ids: string[] = [];
    for (let page = 1; page <= first.page_count; page++) {
      const res = await list({ ...query, page_num: String(page) });
      ids.push(...res.order_list.map((o: { son_order_id: string }) => o.son_order_id));
    }
    assert.deepEqual(
      ids,
      matching.map((r) => r.son_order_id),
    );
    return first;
  };

  it('lists the whole desk newest first, 20 a page, with exact counts', async () => {
    const first = await expectMatches({}, () => true);
    assert.equal(first.order_list.length, 20);
    const row = first.order_list[0];
    assert.deepEqual(Object.keys(row).sort(), [
      'appointment_time',
      'customer_mobile',
      'customer_name',
      'face_trial_time',
      'house_address',
      'is_bohui',
      'is_bohui_text',
      'mianqian_opt_time',
      'son_order_id',
      'user_mobile',
      'user_name',
    ]);
    assert.equal(typeof row.son_order_id, 'string');
    assert.match(row.is_bohui, /^[01]$/);
    assert.equal(row.is_bohui_text, row.is_bohui === '1' ? '是' : '否');
    assert.match(row.appointment_time, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.match(row.house_address, /^(北京市|上海市)/);
  });

  it('filters by city', async () => {
    await expectMatches({ city_key: '上海市' }, (r) => r.city === '上海市');
  });

  it('filters rejected only', async () => {
    await expectMatches({ is_bohui: '1' }, (r) => r.is_bohui === 1);
  });

  it('filters by city and rejected together', async () => {
    await expectMatches(
      { city_key: '北京市', is_bohui: '1' },
      (r) => r.city === '北京市' && r.is_bohui === 1,
    );
  });

  it('filters by customer mobile through the keyed index', async () => {
    const target = desk.find((r) => r.customer_mobile)!;
    const res = await expectMatches(
      { customer_mobile: target.customer_mobile },
      (r) => r.customer_mobile === target.customer_mobile,
    );
    // Lists show mobiles masked the marketplace's way; the full number is only in the detail.
    assert.equal(res.order_list[0].customer_mobile, `${target.customer_mobile.slice(0, 8)}***`);
    assert.equal(res.order_list[0].customer_mobile, target.customer_mobile_masked);
  });

  it('filters by customer name, agent name and agent mobile', async () => {
    const target = desk.find((r) => r.user_name)!;
    await expectMatches(
      { customer_name: target.customer_name },
      (r) => r.customer_name === target.customer_name,
    );
    await expectMatches({ user_name: target.user_name }, (r) => r.user_name === target.user_name);
    await expectMatches(
      { user_mobile: target.user_mobile, is_bohui: '1' },
      (r) => r.user_mobile === target.user_mobile && r.is_bohui === 1,
    );
  });

  it('filters by appointment day and 面签 day (Beijing dates)', async () => {
    const withAppointment = desk.find((r) => r.appointment_time !== null)!;
    const day = formatShanghaiDate(withAppointment.appointment_time!);
    await expectMatches(
      { appointment_time: day },
      (r) => r.appointment_time !== null && formatShanghaiDate(r.appointment_time) === day,
    );
    const rejected = desk.find((r) => r.mianqian_opt_time !== null);
    if (rejected) {
      const optDay = formatShanghaiDate(rejected.mianqian_opt_time!);
      await expectMatches(
        { mianqian_opt_time: optDay },
        (r) => r.mianqian_opt_time !== null && formatShanghaiDate(r.mianqian_opt_time) === optDay,
      );
    }
    await expectMatches({ appointment_time: '1999-01-01' }, () => false);
  });

  it('answers an empty page past the end, not an error', async () => {
    const res = await list({ page_num: '999' });
    assert.deepEqual(res.order_list, []);
    assert.ok(res.page_count > 0);
  });

  it('reports every bad filter at once in the envelope', async () => {
    const res = await list({
      customer_mobile: '123',
      city_key: '广州市',
      appointment_time: '2024-02-30',
      page_num: '0',
      is_bohui: 'x',
    });
    assert.equal(res.code, 0);
    assert.deepEqual(res.errors.map((e: { field: string }) => e.field).sort(), [
      'appointment_time',
      'city_key',
      'customer_mobile',
      'is_bohui',
      'page_num',
    ]);
  });

  it('index answers the 驳回 count of the desk and the city list', async () => {
    const res = body(await t.app.inject({ url: '/order_mianqian/index', headers: bearer(token) }));
    assert.deepEqual(res, {
      code: 1,
      msg: '',
      data: {
        bohui_count: desk.filter((r) => r.is_bohui === 1).length,
        city_list: { 北京市: '北京市', 上海市: '上海市' },
      },
    });
  });

  it('shows the demo order on the desk', async () => {
    assert.ok(desk.some((r) => r.son_order_id === DEMO_ORDER_ID));
  });

  it('keeps the count buckets equal to a full count after transitions', async () => {
    const ids = desk
      .filter((r) => r.is_bohui === 0)
      .slice(0, 3)
      .map((r) => r.son_order_id);
    const actions = ['order_pass', 'order_return_kefu', 'order_stop'];
    for (const [i, id] of ids.entries()) {
      const res = body(
        await t.app.inject({
          method: 'POST',
          url: `/order_mianqian/${actions[i]}`,
          headers: bearer(token),
          payload: { son_order_id: id },
        }),
      );
      assert.equal(res.code, 1, JSON.stringify(res));
    }
    const buckets = await t.db.kysely.selectFrom('loan_order_desk_counts').selectAll().execute();
    const actual = await t.db.kysely
      .selectFrom('loan_orders')
      .select(['desk', 'city', 'is_bohui', (eb) => eb.fn.countAll<number>().as('n')])
      .where('desk', 'is not', null)
      .groupBy(['desk', 'city', 'is_bohui'])
      .execute();
    const key = (r: { desk: string | null; city: string; is_bohui: number }) =>
      `${r.desk}|${r.city}|${r.is_bohui}`;
    const bucketMap = new Map(buckets.filter((b) => Number(b.n) !== 0).map((b) => [key(b), Number(b.n)]));
    assert.deepEqual(bucketMap, new Map(actual.map((a) => [key(a), Number(a.n)])));
  });
});

describe('the desk and the stage queue after `fangtong seed` appended older orders', () => {
  let t: TestApp;
  let token: string;
  before(async () => {
    t = await startTestApp({ demo: true });
    token = await t.tokenFor('mianqian');
  });
  after(() => t.close());

  const firstPages = async () => {
    const desk = body(
      await t.app.inject({ url: '/order_mianshen/ajax_get_list?page_num=1', headers: bearer(token) }),
    ).order_list.map((o: { son_order_id: string }) => o.son_order_id) as string[];
    const queue = body(
      await t.app.inject({ url: '/api/loan-orders?stage=mianqian', headers: bearer(token) }),
    ).data.order_list.map((o: { son_order_id: string }) => o.son_order_id) as string[];
    return { desk, queue };
  };

  it("keeps page 1 newest first by the order's own time, not by when its row was written", async () => {
    const before = await firstPages();
    // The seeder dates what it appends before every order already stored (here 2014-2016).
    await seedSyntheticOrders(t.db.kysely, t.app.runtime.pii, {
      orders: 300,
      seed: 11,
      until: t.clock.now(),
    });
    const newest = await t.db.kysely
      .selectFrom('loan_orders')
      .select(['son_order_id', 'created_at'])
      .where('desk', '=', 'mianqian')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.ok(newest.created_at < Date.parse('2016-02-27'), 'the last row written is an old order');
    assert.deepEqual(await firstPages(), before);
    const times = await t.db.kysely
      .selectFrom('loan_orders')
      .select('created_at')
      .where('son_order_id', 'in', before.desk)
      .execute();
    assert.ok(times.every((r) => r.created_at > newest.created_at));
  });
});
