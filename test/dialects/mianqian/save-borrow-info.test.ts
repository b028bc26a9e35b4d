import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, body, startTestApp, type TestApp } from '../../helpers/test-app.js';
import { BORROW_FORM, form, itRefusesEach, orderAtMianqian, type RefusalCase } from './fixtures.js';

describe('POST /order_mianqian/save_borrow_info', () => {
  let t: TestApp;
  let token: string;
  let id: string;
  before(async () => {
    t = await startTestApp();
    token = await t.tokenFor('mianqian');
    id = await orderAtMianqian(t);
  });
  after(() => t.close());

  const save = (fields: Record<string, string>, sonOrderId = id) =>
    t.app.inject({
      method: 'POST',
      url: '/order_mianqian/save_borrow_info',
      headers: bearer(token),
      payload: form(fields, sonOrderId),
    });

  const detail = async () =>
    body(
      await t.app.inject({ url: `/order_mianqian/order_detail?son_order_id=${id}`, headers: bearer(token) }),
    ).data;

  it('saves a form post and shows it back in order_detail (万元 and % exact)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/order_mianqian/save_borrow_info',
      headers: { ...bearer(token), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(form(BORROW_FORM, id)).toString(),
    });
    assert.deepEqual(body(res), { code: 1, msg: '保存成功', data: null });
    const data = await detail();
    assert.deepEqual(data.order_info, {
      son_order_id: Number(id),
      order_type: 0,
      appointment_time: '2024-06-02 10:00:00',
      mianqian_opt_time: null,
      loan_money: 150.5,
      loan_limit: 6,
      production_no: 2,
      yueding_lilv: 1.25,
      service_fee: null,
    });
    assert.equal(data.user_info.realname, '迟兴旺');
    const row = await t.db.kysely
      .selectFrom('loan_orders')
      .selectAll()
      .where('son_order_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.loan_money, 150_500_000, '150.5 万元 is stored as fen');
    assert.equal(row.yueding_lilv, 12_500, '1.25% is stored × 10⁴');
  });

  it('accepts JSON numbers and renames the agent', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/order_mianqian/save_borrow_info',
      headers: bearer(token),
      payload: {
        son_order_id: id,
        user_realname: '迟大旺',
        loan_money: 200,
        loan_limit: 12,
        production_no: 1,
        yueding_lilv: 0.9,
      },
    });
    assert.equal(body(res).code, 1);
    const data = await detail();
    assert.equal(data.order_info.loan_money, 200);
    assert.equal(data.order_info.yueding_lilv, 0.9);
    assert.equal(data.user_info.realname, '迟大旺');
  });

  const cases: RefusalCase[] = [
    [
      'an empty form names every required field',
      { user_realname: '', loan_money: '', loan_limit: '', production_no: '', yueding_lilv: '' },
      [
        ['user_realname', '中介姓名不能为空'],
        ['loan_money', '借款金额不能为空'],
        ['loan_limit', '借款期限不能为空'],
        ['production_no', '产品类型不能为空'],
      ],
    ],
    ['a zero amount', { loan_money: '0' }, [['loan_money', '借款金额必须大于0']]],
    ['a negative amount', { loan_money: '-5' }, [['loan_money', '借款金额必须大于0']]],
    ['three decimals of 万元', { loan_money: '1.234' }, [['loan_money', '借款金额最多保留2位小数']]],
    ['an amount in exponent form', { loan_money: '1e3' }, [['loan_money', '借款金额必须是数字']]],
    [
      'an amount over the ceiling',
      { loan_money: '100000' },
      [['loan_money', '借款金额不能超过99999.99万元']],
    ],
    ['a limit not in the list', { loan_limit: '7' }, [['loan_limit', '借款期限不在可选范围内']]],
    ['a product that does not exist', { production_no: '9' }, [['production_no', '产品类型不在可选范围内']]],
    [
      'a 上海 product on a 北京 order',
      { production_no: '5', service_fee: '2' },
      [['production_no', '产品类型不适用于北京市的订单']],
    ],
    ['a rate product without its rate', { yueding_lilv: '' }, [['yueding_lilv', '约定利率不能为空']]],
    ['a rate with five decimals', { yueding_lilv: '1.00001' }, [['yueding_lilv', '约定利率最多保留4位小数']]],
    ['a rate over 100%', { yueding_lilv: '100.5' }, [['yueding_lilv', '约定利率超出允许范围']]],
    ['a one-character agent name', { user_realname: '迟' }, [['user_realname', '中介姓名不能少于2个字符']]],
    [
      'several bad fields at once',
      { loan_money: 'abc', loan_limit: '0', yueding_lilv: '0' },
      [
        ['loan_money', '借款金额必须是数字'],
        ['loan_limit', '借款期限不在可选范围内'],
        ['yueding_lilv', '约定利率必须大于0'],
      ],
    ],
  ];
  const orderRow = () =>
    t.db.kysely
      .selectFrom('loan_orders')
      .selectAll()
      .where('son_order_id', '=', id)
      .executeTakeFirstOrThrow();
  itRefusesEach(cases, (change) => save({ ...BORROW_FORM, ...change }), orderRow);

  it('keeps only the figure the product is priced by (服务费 for product 5 in 上海)', async () => {
    const sh = await orderAtMianqian(t, '上海市');
    const res = await save(
      { ...BORROW_FORM, production_no: '5', yueding_lilv: '1.5', service_fee: '3.5' },
      sh,
    );
    assert.equal(body(res).code, 1, res.body);
    const row = await t.db.kysely
      .selectFrom('loan_orders')
      .selectAll()
      .where('son_order_id', '=', sh)
      .executeTakeFirstOrThrow();
    assert.deepEqual([row.service_fee, row.yueding_lilv], [35_000, null]);
    const missing = body(await save({ ...BORROW_FORM, production_no: '5', service_fee: '' }, sh));
    assert.deepEqual(missing.errors, [{ field: 'service_fee', error: '服务费不能为空' }]);
  });

  it('refuses an agent name on a 直户 order', async () => {
    const direct = await orderAtMianqian(t, '北京市', 1);
    const res = body(await save(BORROW_FORM, direct));
    assert.deepEqual(res.errors, [{ field: 'user_realname', error: '直户订单没有中介，不能填写中介姓名' }]);
    assert.equal(body(await save({ ...BORROW_FORM, user_realname: '' }, direct)).code, 1);
  });

  it('writes an audit row for the save', async () => {
    const rows = await t.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', id)
      .where('action', '=', 'save_borrow_info')
      .execute();
    assert.ok(rows.length >= 1);
  });
});
