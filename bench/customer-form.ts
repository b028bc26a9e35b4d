import { ageOn } from '../src/core/id-card.js';

const BIRTH_DATE = '1949-12-31';

/**
 * A valid 保存客户信息 form (the field set of the tests' CUSTOMER_FORM): an unmarried borrower
 * without co-borrower, so no spouse or co-borrower fields. Age is derived from the ID number on
 * the day the benchmark runs, as the server checks it.
 */
export function customerFormBody(sonOrderId: string, now: number): string {
  return JSON.stringify({
    son_order_id: sonOrderId,
    name: '王小二',
    mobile: '13812345678',
    id_card: '11010519491231002X',
    domicile: '北京市东城区',
    age: String(ageOn(BIRTH_DATE, now)),
    sex: '2',
    emergency_mobile: '13698765432',
    emergency_relationship: '朋友',
    month_income: '25000.50',
    address: '北京市东城区东直门内大街1号',
    second_address: '',
    unit: '某公司 经理',
    is_execute: '2',
    unit_is_execute: '2',
    marital_tatus: '0',
    marry_date: '',
    lihun_date: '',
    emergency_contact: '赵六',
    property2_owner: '',
    common_proportion: '',
    gongjie_status: '0',
  });
}
