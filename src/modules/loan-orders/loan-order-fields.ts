/**
 * Each 面签 form's fields with their Chinese labels, in the order the form lists them: one
 * table per form, from which the dialect builds the form's schema (and /docs its names) and
 * the validation messages are worded. A field is added to a form here, once.
 */

/** The borrow form (save_borrow_info). */
export const BORROW_INFO_FIELDS = {
  user_realname: '中介姓名',
  loan_money: '借款金额',
  loan_limit: '借款期限',
  production_no: '产品类型',
  yueding_lilv: '约定利率',
  service_fee: '服务费',
} as const;

/** The house form (save_house_info). */
export const HOUSE_INFO_FIELDS = {
  house_cert_no: '房产证号',
  house_province: '城市',
  house_city: '区域',
  house_address: '详细地址',
  house_type: '房产性质',
  guihuayongtu: '规划用途',
  house_size: '建筑面积',
  built_in: '建成年代',
  mortgage_type: '抵押类型',
  before_one_arrived: '之前一抵金额',
  before_two_arrived: '之前二抵金额',
  pg_money_shilian: '世联评估价格',
  pg_money_renda: '仁达评估价格',
} as const;

/** The customer form (save_customer_info): borrower, spouse (link_*), co-borrower (link2_*), then the household. */
export const CUSTOMER_INFO_FIELDS = {
  name: '客户姓名',
  mobile: '手机号',
  id_card: '身份证号',
  domicile: '户籍',
  age: '年龄',
  sex: '性别',
  unit: '工作单位及职务',
  is_execute: '是否被执行',
  unit_is_execute: '单位是否被执行',
  link_name: '配偶姓名',
  link_mobile: '配偶手机号',
  link_id_card: '配偶身份证号码',
  link_domicile: '配偶户籍',
  link_age: '配偶年龄',
  link_sex: '配偶性别',
  link_unit: '配偶工作单位',
  link_is_execute: '配偶是否被执行',
  link_unit_is_execute: '配偶单位是否被执行',
  link2_name: '共借人姓名',
  link2_mobile: '共借人手机号',
  link2_id_card: '共借人身份证号',
  link2_domicile: '共借人户籍',
  link2_age: '共借人年龄',
  link2_sex: '共借人性别',
  link2_unit: '共借人工作单位及职务',
  link2_is_execute: '共借人是否被执行',
  link2_unit_is_execute: '共借人单位是否被执行',
  emergency_mobile: '紧急联系人手机号',
  emergency_relationship: '紧急联系人与借款人关系',
  month_income: '月收入',
  address: '现住址',
  second_address: '第二居住地址',
  marital_tatus: '婚姻状况',
  marry_date: '结婚日期',
  lihun_date: '离婚日期',
  emergency_contact: '紧急联系人姓名',
  property2_owner: '第二产权人',
  common_proportion: '共有比例',
  gongjie_status: '共借状况',
} as const;

/** What every workbench form carries besides its own fields: the order and the 面签 suggestion. */
export const WORKBENCH_FIELDS = {
  son_order_id: '订单编号',
  mianqian_suggest: '面签建议',
} as const;

/** The form 客服 opens an order with. */
export const ORDER_CREATE_FIELDS = {
  order_type: '订单性质',
  city: '城市',
  appointment_time: '预约时间',
  customer_name: '客户姓名',
  user_realname: '中介姓名',
  user_mobile: '中介电话',
} as const;

/** The 面签 desk list's filters and page. */
export const DESK_LIST_FIELDS = {
  customer_name: '客户姓名',
  customer_mobile: '客户电话',
  user_name: '中介姓名',
  user_mobile: '中介电话',
  city_key: '城市',
  appointment_time: '预约时间',
  mianqian_opt_time: '面签时间',
  is_bohui: '驳回',
  page_num: '页码',
} as const;

/** What a stage move may carry (the back-office pass / return / stop). */
export const TRANSITION_FIELDS = { reason: '原因' } as const;

/** The Chinese label of every field the 面签 spec names; validation messages are built from it. */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  ...WORKBENCH_FIELDS,
  ...BORROW_INFO_FIELDS,
  ...HOUSE_INFO_FIELDS,
  ...CUSTOMER_INFO_FIELDS,
  ...ORDER_CREATE_FIELDS,
  ...DESK_LIST_FIELDS,
  ...TRANSITION_FIELDS,
};
