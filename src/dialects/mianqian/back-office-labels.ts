import { FIELD_LABELS, STATS_FIELDS } from '../../modules/loan-orders/index.js';

/** The back office's own forms around the loan order, each field with its Chinese label. */

/** /api/auth/login. */
export const LOGIN_FIELDS = { username: '用户名', password: '密码' } as const;

/** POST /api/staff. */
export const STAFF_FIELDS = { ...LOGIN_FIELDS, display_name: '显示名', roles: '角色' } as const;

/** POST /api/partners. */
export const PARTNER_FIELDS = {
  ua: '合作方标识',
  signkey: '签名密钥',
  calls: '可调用接口',
  callback_url: '回调地址',
} as const;

/** POST /api/partner-blacklist. */
export const BLACKLIST_FIELDS = { id_card: '身份证号', mobile: '手机号', reason: '原因' } as const;

/** The back office's queries and moves: a stage queue, the callbacks' status, a move for cause. */
export const BACK_OFFICE_QUERY_FIELDS = {
  id: '编号',
  disabled: '停用',
  stage: '环节',
  status: '状态',
  bad_record: '不良记录',
} as const;

/**
 * The Chinese name of every field a family-1 route takes, for the messages of a request its
 * schema refuses: the loan order's own fields, and those of the back office around them
 * (accounts, partners, blacklist, callbacks, stage queues).
 */
export const BACK_OFFICE_LABELS: Readonly<Record<string, string>> = {
  ...FIELD_LABELS,
  ...STAFF_FIELDS,
  ...PARTNER_FIELDS,
  ...BLACKLIST_FIELDS,
  ...BACK_OFFICE_QUERY_FIELDS,
  ...STATS_FIELDS,
};
