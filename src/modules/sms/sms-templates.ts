import type { SmsTemplateKey } from '../../config.js';

/**
 * What each purpose texts: the configured template it is sent under and the wording that
 * template was registered with (the provider renders its own approved copy; this one is for the
 * development log and the docs). `{code}` is the template's one variable, registered as `${code}`
 * with Aliyun (sent by name) and as `{1}` with Tencent (sent by position).
 */
export const SMS_TEMPLATES: Readonly<Record<string, { key: SmsTemplateKey; wording: string }>> = {
  tenant_login: { key: 'login', wording: '您的验证码是{code}，5分钟内有效，请勿告诉他人。' },
  bind_card: { key: 'bind_card', wording: '您正在绑定银行卡，验证码{code}，5分钟内有效，请勿告诉他人。' },
  escrow_accept: {
    key: 'escrow',
    wording: '您正在确认二手房交易资金监管邀约，验证码{code}，5分钟内有效，请勿告诉他人。',
  },
  parking: { key: 'parking', wording: '您正在办理校园包月车位，验证码{code}，5分钟内有效，请勿告诉他人。' },
};

export function renderSmsTemplate(wording: string, params: Readonly<Record<string, string>>): string {
  return wording.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? '');
}
