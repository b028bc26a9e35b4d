/**
 * The parking back office's fields, each with its Chinese name, given to its routes as
 * `config.fieldLabels`: a park's, a product's or an org's `name` each mean their own thing, and
 * none is the loan customer's of the family's own labels.
 */

/** /api/parking/orders…: the list's filters and pages, an order and its documents, a refusal's reason. */
export const PARKING_ORDER_FIELDS = {
  id: '订单ID',
  fileId: '文件编号',
  reason: '原因',
  state: '订单状态',
  audit_state: '审核状态',
  page: '页码',
  page_size: '每页条数',
} as const;

/** /api/parking/parks and /api/parking/parks/:id. */
export const PARK_FIELDS = { id: '停车场Id', name: '停车场名称' } as const;

/** /api/parking/parks/:id/orgs: the two-level tree. */
export const PARK_ORG_FIELDS = {
  id: '停车场Id',
  orgs: '组织机构',
  name: '机构名称',
  org_code: '机构编码',
  children: '下级机构',
} as const;

/** /api/parking/parks/:id/extras: what an order carries. */
export const PARK_EXTRA_FIELDS = {
  id: '停车场Id',
  extras: '额外信息',
  name: '信息名称',
  code: '信息编号',
  type: '信息类型',
  required: '是否必填',
} as const;

/** /api/parking/products and a product's price versions. */
export const PARKING_PRODUCT_FIELDS = {
  id: '产品ID',
  park_id: '停车场Id',
  name: '产品名称',
  unit_type: '计数单位',
  unit_count: '计数数量',
  rent_type: '产品类型',
  card_type: '卡类型',
  audit_before_pay: '支付前审核',
  inside_price: '校内价',
  outside_price: '校外价',
} as const;
