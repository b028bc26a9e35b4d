import { FIELD_LABELS } from '../../modules/loan-orders/index.js';

/**
 * The Chinese name of every field a family-1 route takes, for the messages of a request its
 * schema refuses: the loan order's own fields, and those of the back office around them
 * (accounts, partners, blacklist, callbacks, stage queues).
 */
export const BACK_OFFICE_LABELS: Readonly<Record<string, string>> = {
  ...FIELD_LABELS,
  id: '编号',
  username: '用户名',
  password: '密码',
  display_name: '显示名',
  roles: '角色',
  stage: '环节',
  bad_record: '不良记录',
  ua: '合作方标识',
  signkey: '签名密钥',
  calls: '可调用接口',
  callback_url: '回调地址',
  status: '状态',
  id_card: '身份证号',
};
