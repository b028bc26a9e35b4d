import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { luhnValid, maskCardNumber } from '../../core/bank-card.js';
import { DomainError } from '../../core/domain-error.js';
import { FieldReader, type RawInput } from '../../core/field-reader.js';
import type { Database } from '../../database.js';
import type { Pii } from '../../platform/pii.js';
import type { SmsChannel } from '../../platform/sms/sms-channel.js';
import { recordAudit } from '../audit/index.js';
import { borrowerByIdCardHash } from '../loan-orders/index.js';
import { enqueueCallback } from '../outbox/index.js';
import { sendSmsCode, verifySmsCode } from '../sms/index.js';
import { readRules } from './admission.service.js';
import { bankOfCard, findBank } from './bank-catalog.js';
import {
  countBindFailuresSince,
  findBankCard,
  insertBindFailure,
  upsertBankCard,
} from './partner.repository.js';

type Db = Kysely<Database>;

export const BIND_PURPOSE = 'bind_card';
export const BIND_FEEDBACK_CALL = 'PartnerGate.BindCard.bindFeedback';
const MAX_FAILURES = 5;
const FAILURE_WINDOW_MS = 86_400_000;

const LABELS = {
  order_sn: '借款订单编号',
  bank_code: '绑卡银行编码',
  user_name: '用户姓名',
  user_idcard: '用户身份证号',
  card_number: '银行卡号',
  card_phone: '银行预留手机号',
  user_phone: '用户手机号',
  echo_data: '回显数据',
  verify_code: '绑卡验证码',
  card_type: '银行卡类型',
};

export interface BindResult {
  bind_status: string;
  remark: string;
}

/**
 * BindCard.applyBindCard. Failures (identity, bank, code) are counted per person: past 5 in 24
 * hours every request answers 501 until the window passes. A person keeps one card: the same
 * card again is bound at once, another is refused unless the rules allow rebinding. Every final
 * result is also queued for the platform's callback, with echo_data returned to it.
 */
export async function applyBindCard(
  deps: { db: Db; pii: Pii; sms: SmsChannel },
  ua: string,
  args: RawInput,
  now: number,
): Promise<BindResult> {
  const r = new FieldReader(args, LABELS);
  const orderSn = r.text('order_sn', { max: 64 });
  const bankCode = r.text('bank_code', { required: true, max: 16 });
  const userName = r.text('user_name', { required: true, max: 30 });
  const idCard = r.idCard('user_idcard', now, { required: true });
  const cardNumber = r.text('card_number', { required: true, max: 19 });
  if (cardNumber !== undefined && !/^\d{12,19}$/.test(cardNumber))
    r.fail('card_number', '银行卡号须为12-19位数字');
  const cardPhone = r.mobile('card_phone', { required: true });
  const userPhone = r.mobile('user_phone', { required: true });
  const echoData = r.text('echo_data', { required: true, max: 512 });
  const verifyCode = r.text('verify_code', { max: 6 });
  if (verifyCode !== undefined && !/^\d{6}$/.test(verifyCode)) r.fail('verify_code', '绑卡验证码为6位数字');
  const cardType = r.int('card_type', { oneOf: [1, 2] });
  r.done();

  const personHash = deps.pii.blindIndex(idCard!.number, 'id_card');
  const cardHash = deps.pii.blindIndex(cardNumber!, 'bank_card');
  const finish = async (status: string, remark: string, failure: boolean): Promise<BindResult> => {
    await deps.db.transaction().execute(async (trx) => {
      if (failure) await insertBindFailure(trx, personHash, now);
      await enqueueCallback(trx, {
        ua,
        call: BIND_FEEDBACK_CALL,
        args: { order_sn: orderSn ?? '', bind_status: status, remark, echo_data: echoData },
        dedupeKey: `bind:${randomUUID()}`,
        now,
      });
    });
    return { bind_status: status, remark };
  };

  if ((await countBindFailuresSince(deps.db, personHash, now - FAILURE_WINDOW_MS)) >= MAX_FAILURES)
    return finish('501', '绑卡失败次数超限，请24小时后重试！', false);

  const rules = await readRules(deps.db);
  const bound = await findBankCard(deps.db, personHash);
  if (bound) {
    if (bound.card_hash === cardHash) return finish('200', `已绑定${bound.card_masked}`, false);
    if (!rules.allow_rebind) return finish('505', `已绑定银行卡${bound.card_masked}，不允许更换绑卡`, false);
  }

  const bank = findBank(bankCode!);
  const issuer = bankOfCard(cardNumber!);
  if (
    !bank ||
    !luhnValid(cardNumber!) ||
    !issuer ||
    issuer.bank.code !== bank.code ||
    (cardType !== undefined && cardType !== issuer.cardType)
  ) {
    return finish('402', '请检查卡号对应的银行是否正确', true);
  }
  if (!bank.cardTypes.includes(issuer.cardType)) {
    return finish('505', `${bank.name}暂不支持${issuer.cardType === 1 ? '信用卡' : '借记卡'}绑卡`, true);
  }

  const borrower = await borrowerByIdCardHash(deps, personHash);
  if (
    !borrower ||
    borrower.name !== userName ||
    borrower.mobile !== userPhone ||
    borrower.mobile !== cardPhone
  ) {
    return finish('401', '认证信息不匹配', true);
  }

  if (rules.bind_sms) {
    if (verifyCode === undefined) {
      try {
        await sendSmsCode(deps, { phone: cardPhone!, purpose: BIND_PURPOSE, ip: `partner:${ua}` }, now);
      } catch (error) {
        if (error instanceof DomainError) return { bind_status: '505', remark: error.message };
        throw error;
      }
      return { bind_status: '100', remark: '需短信验证码，请输入已发送的验证码重新绑卡' };
    }
    if (!(await verifySmsCode(deps, { phone: cardPhone!, purpose: BIND_PURPOSE, code: verifyCode }, now))) {
      return finish('505', '验证码错误或已失效', true);
    }
  }

  await deps.db.transaction().execute(async (trx) => {
    const card = {
      card_enc: deps.pii.encrypt(cardNumber!),
      card_hash: cardHash,
      card_masked: maskCardNumber(cardNumber!),
      bank_code: bank.code,
      card_type: issuer.cardType,
      phone_enc: deps.pii.encrypt(cardPhone!),
      order_sn: orderSn ?? null,
      created_at: now,
    };
    await upsertBankCard(trx, personHash, card);
    await recordAudit(trx, {
      actor: `partner:${ua}`,
      entity: 'bank_card',
      entity_id: personHash,
      action: 'bind',
      from_state: bound?.card_masked ?? null,
      to_state: card.card_masked,
      reason: orderSn ?? null,
      created_at: now,
    });
  });
  return finish('200', 'success', false);
}
