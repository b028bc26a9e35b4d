import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from '../../helpers/test-app.js';
import { bearer, body } from '../../helpers/test-app.js';

/** Valid forms for an order in 北京市 with an agent; tests change one field at a time. */
export const BORROW_FORM = {
  user_realname: '迟兴旺',
  loan_money: '150.5',
  loan_limit: '6',
  production_no: '2',
  yueding_lilv: '1.25',
  service_fee: '',
};

export const HOUSE_FORM = {
  house_cert_no: '京房权证朝字第0001号',
  house_province: '北京市',
  house_city: '朝阳区',
  house_address: '建国路1号院2号楼301室',
  house_type: '1',
  guihuayongtu: '9',
  house_size: '88.65',
  built_in: '2003',
  mortgage_type: '2',
  before_one_arrived: '120',
  before_two_arrived: '',
  pg_money_shilian: '500',
  pg_money_renda: '480.5',
};

export const CUSTOMER_FORM = {
  name: '王小二',
  mobile: '13812345678',
  id_card: '11010519491231002X',
  domicile: '北京市东城区',
  age: '74',
  sex: '2',
  emergency_mobile: '13698765432',
  emergency_relationship: '朋友',
  month_income: '25000.50',
  address: '北京市东城区东直门内大街1号',
  second_address: '',
  unit: '某公司 经理',
  is_execute: '2',
  unit_is_execute: '2',
  marital_tatus: '1',
  marry_date: '1975-05-01',
  lihun_date: '',
  emergency_contact: '赵六',
  property2_owner: '',
  common_proportion: '',
  link_name: '李四',
  link_mobile: '13912345678',
  link_id_card: '440524188001010014',
  link_domicile: '广东省汕头市',
  link_unit: '退休',
  link_is_execute: '2',
  link_unit_is_execute: '2',
  gongjie_status: '0',
};

/** Opens an order as 客服 and carries it to 面签 through the back-office API. */
export async function orderAtMianqian(t: TestApp, city = '北京市', orderType = 0): Promise<string> {
  const kefu = await t.tokenFor('kefu');
  const mianshen = await t.tokenFor('mianshen');
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/loan-orders',
    headers: bearer(kefu),
    payload: {
      order_type: orderType,
      city,
      appointment_time: '2024-06-02 10:00:00',
      customer_name: '王小二',
      ...(orderType === 0 ? { user_realname: '迟兴旺', user_mobile: '13911112222' } : {}),
    },
  });
  const id = body(created).data.son_order_id as string;
  for (const token of [kefu, mianshen]) {
    const moved = await t.app.inject({
      method: 'POST',
      url: `/api/loan-orders/${id}/pass`,
      headers: bearer(token),
      payload: {},
    });
    if (body(moved).code !== 1) throw new Error(`could not move ${id}: ${moved.body}`);
  }
  return id;
}

export function form(fields: Record<string, string>, sonOrderId: string) {
  return { son_order_id: sonOrderId, ...fields };
}

export type RefusalCase = [
  what: string,
  change: Record<string, string>,
  expected: Array<[field: string, error: string]>,
];

/**
 * One test per case: the form changed by `change` is refused in the envelope with exactly the
 * `expected` field errors (msg starting with the first), and `snapshot` reads the same after.
 */
export function itRefusesEach(
  cases: readonly RefusalCase[],
  submit: (change: Record<string, string>) => Promise<LightMyRequestResponse>,
  snapshot: () => Promise<unknown>,
): void {
  for (const [what, change, expected] of cases) {
    it(`refuses ${what}, changing nothing`, async () => {
      const before = await snapshot();
      const res = await submit(change);
      assert.equal(res.statusCode, 200);
      const b = body(res);
      assert.equal(b.code, 0);
      assert.deepEqual(
        b.errors.map((e: { field: string; error: string }) => [e.field, e.error]),
        expected,
      );
      assert.equal(b.msg.startsWith(expected[0]![1]), true);
      assert.deepEqual(await snapshot(), before);
    });
  }
}
