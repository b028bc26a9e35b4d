import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, body, startTestApp, type TestApp } from '../../helpers/test-app.js';
import { form, HOUSE_FORM, itRefusesEach, orderAtMianqian, type RefusalCase } from './fixtures.js';

describe('POST /order_mianqian/save_house_info', () => {
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
      url: '/order_mianqian/save_house_info',
      headers: bearer(token),
      payload: form(fields, sonOrderId),
    });

  it('saves the house and order_detail shows it back', async () => {
    assert.deepEqual(body(await save(HOUSE_FORM)), { code: 1, msg: '保存成功', data: null });
    const data = body(
      await t.app.inject({ url: `/order_mianqian/order_detail?son_order_id=${id}`, headers: bearer(token) }),
    ).data;
    assert.deepEqual(data.house_info, {
      house_cert_no: '京房权证朝字第0001号',
      house_province: '北京市',
      house_city: '朝阳区',
      house_address: '建国路1号院2号楼301室',
      house_type: 1,
      guihuayongtu: 9,
      house_size: 88.65,
      built_in: 2003,
      mortgage_type: 2,
      before_one_arrived: 120,
      before_two_arrived: null,
      pg_money_shilian: 500,
      pg_money_renda: 480.5,
    });
  });

  const cases: RefusalCase[] = [
    ['a district of another city', { house_city: '静安区' }, [['house_city', '区域不属于北京市']]],
    [
      "a city other than the order's",
      { house_province: '上海市' },
      [['house_province', '城市须与订单城市(北京市)一致']],
    ],
    ['an unknown city', { house_province: '广州市' }, [['house_province', '城市不在可选范围内']]],
    [
      'a 上海 house type on a 北京 order',
      { house_type: '10' },
      [['house_type', '房产性质不是北京市的可选项']],
    ],
    [
      'a 上海 规划用途 on a 北京 order',
      { guihuayongtu: '19' },
      [['guihuayongtu', '规划用途不是北京市的可选项']],
    ],
    ['a zero area', { house_size: '0' }, [['house_size', '建筑面积必须大于0']]],
    ['an area with three decimals', { house_size: '80.123' }, [['house_size', '建筑面积最多保留2位小数']]],
    ['a year in the future', { built_in: '2030' }, [['built_in', '建成年代不能大于2024']]],
    ['an unknown mortgage type', { mortgage_type: '6' }, [['mortgage_type', '抵押类型不在可选范围内']]],
    [
      '二抵 without the first mortgage amount',
      { before_one_arrived: '' },
      [['before_one_arrived', '之前一抵金额不能为空']],
    ],
    [
      '二抵转单 without the second mortgage amount',
      { mortgage_type: '4' },
      [['before_two_arrived', '之前二抵金额不能为空']],
    ],
    [
      '一抵 with an earlier first mortgage amount',
      { mortgage_type: '1' },
      [['before_one_arrived', '抵押类型为一抵时不应有之前一抵金额']],
    ],
    ['a negative appraisal', { pg_money_renda: '-1' }, [['pg_money_renda', '仁达评估价格必须大于0']]],
    [
      'an over-long address',
      { house_address: '路'.repeat(201) },
      [['house_address', '详细地址不能超过200个字符']],
    ],
    [
      'an empty form',
      Object.fromEntries(Object.keys(HOUSE_FORM).map((k) => [k, ''])),
      [
        ['house_cert_no', '房产证号不能为空'],
        ['house_province', '城市不能为空'],
        ['house_city', '区域不能为空'],
        ['house_address', '详细地址不能为空'],
        ['house_type', '房产性质不能为空'],
        ['guihuayongtu', '规划用途不能为空'],
        ['house_size', '建筑面积不能为空'],
        ['mortgage_type', '抵押类型不能为空'],
      ],
    ],
  ];
  const orderRow = () =>
    t.db.kysely
      .selectFrom('loan_orders')
      .selectAll()
      .where('son_order_id', '=', id)
      .executeTakeFirstOrThrow();
  itRefusesEach(cases, (change) => save({ ...HOUSE_FORM, ...change }), orderRow);

  it('accepts 一二抵转单 with both earlier amounts and 上海 codes on a 上海 order', async () => {
    const sh = await orderAtMianqian(t, '上海市');
    const res = await save(
      {
        ...HOUSE_FORM,
        house_province: '上海市',
        house_city: '浦东新区',
        house_type: '19',
        guihuayongtu: '10',
        mortgage_type: '5',
        before_two_arrived: '30',
      },
      sh,
    );
    assert.equal(body(res).code, 1, res.body);
    const row = await t.db.kysely
      .selectFrom('loan_orders')
      .selectAll()
      .where('son_order_id', '=', sh)
      .executeTakeFirstOrThrow();
    assert.deepEqual([row.before_one_arrived, row.before_two_arrived], [120_000_000, 30_000_000]);
  });
});
