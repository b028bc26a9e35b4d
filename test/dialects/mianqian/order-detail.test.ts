import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_ORDER_ID } from '../../../src/seed/demo.js';
import { bearer, body, startTestApp, type TestApp } from '../../helpers/test-app.js';

describe('GET /order_mianqian/order_detail', () => {
  let t: TestApp;
  let token: string;
  before(async () => {
    t = await startTestApp({ demo: true });
    token = await t.tokenFor('mianqian');
  });
  after(() => t.close());

  it("answers the demo order 1602261137470 in the spec's shape, catalogs included", async () => {
    const res = await t.app.inject({
      url: `/order_mianqian/order_detail?son_order_id=${DEMO_ORDER_ID}`,
      headers: bearer(token),
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    const { code, msg, data } = body(res);
    assert.equal(code, 1);
    assert.equal(msg, '');
    assert.deepEqual(Object.keys(data), [
      'production_list',
      'order_type_list',
      'house_type_list',
      'guihuayongtu_list',
      'mortgage_type_list',
      'marital_tatus_list',
      'loan_limit_list',
      'city_data',
      'user_info',
      'order_info',
      'house_info',
      'customer_info',
      'pic_data',
      'suggest_list',
    ]);
    assert.deepEqual(data.production_list, [
      { id: 1, name: '北京-5成', type: 0 },
      { id: 2, name: '北京-7成', type: 0 },
      { id: 3, name: '北京-8.5成', type: 0 },
      { id: 4, name: '北京-循环贷', type: 0 },
      { id: 5, name: '上海-服务费', type: 1 },
    ]);
    assert.deepEqual(data.order_type_list, ['中介订单', '直户订单']);
    assert.deepEqual(data.house_type_list, { bj: { 1: '住宅', 9: '商业' }, sh: { 10: '住宅', 19: '商业' } });
    assert.deepEqual(data.guihuayongtu_list, data.house_type_list);
    assert.deepEqual(data.mortgage_type_list, {
      1: '一抵',
      2: '二抵',
      3: '一抵转单',
      4: '二抵转单',
      5: '一二抵转单',
    });
    assert.deepEqual(data.marital_tatus_list, ['未婚', '已婚', '离异', '丧偶']);
    assert.deepEqual(data.loan_limit_list, [1, 2, 3, 4, 5, 6, 12]);
    assert.equal(data.city_data.北京市.length, 16);
    assert.equal(data.city_data.上海市.length, 16);
    assert.ok(data.city_data.北京市.includes('东城区') && data.city_data.上海市.includes('静安区'));
    assert.deepEqual(data.user_info, {
      u_id: data.user_info.u_id,
      realname: '迟兴旺',
      u_mobile: '13911112222',
    });
    assert.deepEqual(data.order_info, {
      son_order_id: 1602261137470,
      order_type: 0,
      appointment_time: '2016-02-27 10:00:00',
      mianqian_opt_time: null,
      loan_money: 300,
      loan_limit: 6,
      production_no: 2,
      yueding_lilv: 1.25,
      service_fee: null,
    });
    assert.deepEqual(data.house_info, {
      house_cert_no: '京房权证朝字第0123456号',
      house_province: '北京市',
      house_city: '朝阳区',
      house_address: '建国路88号院3号楼1单元1201室',
      house_type: 1,
      guihuayongtu: 1,
      house_size: 128.5,
      built_in: 2005,
      mortgage_type: 2,
      before_one_arrived: 800,
      before_two_arrived: null,
      pg_money_shilian: 1200,
      pg_money_renda: 1180,
    });
    const c = data.customer_info;
    assert.deepEqual(
      [
        c.name,
        c.mobile,
        c.id_card,
        c.age,
        c.sex,
        c.marital_tatus,
        c.marry_date,
        c.month_income,
        c.gongjie_status,
      ],
      ['张三', '13800138000', '11010519491231002X', 74, 2, 1, '1975-05-01', 50000, 1],
    );
    assert.deepEqual([c.link_name, c.link_id_card, c.link_sex], ['李梅', '110105195203150021', 2]);
    assert.deepEqual([c.link2_name, c.link2_id_card, c.link2_sex], ['张小明', '110105197806120031', 1]);
    assert.deepEqual(data.pic_data[0], {
      hpc_id: 1,
      hpc_name: '身份资料',
      son_cate_list: [
        { hpc_id: 11, hpc_name: '身份证', pic_num: 2 },
        { hpc_id: 12, hpc_name: '户口本', pic_num: 1 },
        { hpc_id: 13, hpc_name: '婚姻证明', pic_num: 1 },
      ],
    });
    assert.deepEqual(data.suggest_list, [
      { content: '客户资料齐全，已预约面审', suggest_type: 0, create_time: '2016-02-26 14:00:00' },
      { content: '面审通过，房产情况属实', suggest_type: 1, create_time: '2016-02-27 15:02:51' },
    ]);
  });

  it('shows a direct order fresh from 客服 with no agent, no people and no details yet', async () => {
    const kefu = await t.tokenFor('kefu');
    const created = body(
      await t.app.inject({
        method: 'POST',
        url: '/api/loan-orders',
        headers: bearer(kefu),
        payload: {
          order_type: 1,
          city: '上海市',
          appointment_time: '2024-06-03 15:00',
          customer_name: '吴九',
        },
      }),
    );
    assert.equal(created.code, 1);
    const { code, data } = body(
      await t.app.inject({
        url: `/order_mianqian/order_detail?son_order_id=${created.data.son_order_id}`,
        headers: bearer(token),
      }),
    );
    assert.equal(code, 1);
    assert.deepEqual(data.user_info, { u_id: null, realname: null, u_mobile: null });
    assert.equal(data.order_info.order_type, 1);
    assert.equal(data.house_info.house_province, '上海市');
    const c = data.customer_info;
    assert.equal(c.name, '吴九');
    assert.deepEqual(
      [
        c.mobile,
        c.id_card,
        c.age,
        c.link_name,
        c.link2_name,
        c.marital_tatus,
        c.month_income,
        c.gongjie_status,
      ],
      [null, null, null, null, null, null, null, null],
    );
    assert.ok(
      data.pic_data.every((p: { son_cate_list: Array<{ pic_num: number }> }) =>
        p.son_cate_list.every((s) => s.pic_num === 0),
      ),
    );
    assert.deepEqual(data.suggest_list, []);
  });

  it('answers an unknown order and a missing number in the envelope', async () => {
    const unknown = body(
      await t.app.inject({
        url: '/order_mianqian/order_detail?son_order_id=1602261137471',
        headers: bearer(token),
      }),
    );
    assert.deepEqual(unknown, {
      code: 0,
      errors: [{ field: 'son_order_id', error: '订单不存在' }],
      msg: '订单不存在',
    });
    const missing = await t.app.inject({ url: '/order_mianqian/order_detail', headers: bearer(token) });
    assert.equal(missing.statusCode, 200);
    assert.deepEqual(body(missing).errors, [{ field: 'son_order_id', error: '订单编号不能为空' }]);
  });

  it('records a suggestion through save_suggest and shows it last', async () => {
    const empty = body(
      await t.app.inject({
        method: 'POST',
        url: '/order_mianqian/save_suggest',
        headers: bearer(token),
        payload: { son_order_id: DEMO_ORDER_ID, mianqian_suggest: '  ' },
      }),
    );
    assert.deepEqual(empty.errors, [{ field: 'mianqian_suggest', error: '面签建议不能为空' }]);
    const saved = body(
      await t.app.inject({
        method: 'POST',
        url: '/order_mianqian/save_suggest',
        headers: bearer(token),
        payload: { son_order_id: DEMO_ORDER_ID, mianqian_suggest: '客户已到场签字' },
      }),
    );
    assert.equal(saved.code, 1);
    const data = body(
      await t.app.inject({
        url: `/order_mianqian/order_detail?son_order_id=${DEMO_ORDER_ID}`,
        headers: bearer(token),
      }),
    ).data;
    assert.deepEqual(data.suggest_list.at(-1), {
      content: '客户已到场签字',
      suggest_type: 7,
      create_time: '2024-06-01 10:00:00',
    });
  });
});
