import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../core/domain-error.js';
import { signaturesEqual } from '../../core/signing.js';
import type { Database } from '../../database.js';
import { lockKey } from '../../platform/limits/key-lock.js';
import type { Pii } from '../../platform/pii.js';
import type { SmsChannel } from '../../platform/sms/sms-channel.js';
import { maskedPhone, type SmsSendResult } from '../../platform/sms/sms-provider.js';
import {
  countSmsCodesSince,
  deleteSmsCode,
  findLiveSmsCode,
  incrementSmsCodeAttempts,
  insertSmsCode,
  spendSmsCode,
} from './sms-code.repository.js';
import { insertSmsMessage, recordSmsOutcome } from './sms-message.repository.js';
import { renderSmsTemplate, SMS_TEMPLATES } from './sms-templates.js';

export const SMS_CODE_TTL_MS = 5 * 60_000;
const MAX_ATTEMPTS = 5;
/** Per phone: 1 a minute, 5 an hour, 10 a day (Aliyun's defaults); per client IP: 10 a minute. */
const PHONE_LIMITS: ReadonlyArray<[number, number, string]> = [
  [60_000, 1, '验证码发送过于频繁，请1分钟后再试'],
  [3_600_000, 5, '验证码发送次数过多，请1小时后再试'],
  [86_400_000, 10, '今日验证码发送次数已达上限'],
];
const IP_LIMIT: [number, number] = [60_000, 10];

export interface SmsDeps {
  db: Kysely<Database>;
  pii: Pii;
  sms: SmsChannel;
}

const UNAVAILABLE = '短信服务暂时不可用，请稍后再试';

/**
 * Sends a fresh 6-digit code bound to phone and purpose, under the purpose's approved template.
 * The answer is the same whether or not the phone belongs to anyone, so the endpoint cannot be
 * used to probe for customers. The phone's and the address's windows are counted, and the code
 * and its delivery record written, under their keys' locks, so concurrent sends to one phone
 * queue and the limits hold; the message leaves after the commit, never holding a transaction
 * open across the network. A send the provider could not take (outage, timeout) removes the
 * code, so it counts against nobody's limits; one it refused (a number it will not text) voids
 * the code but still counts. Either way the caller hears why, and the record keeps the code.
 */
export async function sendSmsCode(
  deps: SmsDeps,
  input: { phone: string; purpose: string; ip: string },
  now: number,
): Promise<void> {
  const template = SMS_TEMPLATES[input.purpose];
  const templateId = template && deps.sms.templates[template.key];
  // A purpose without an approved template is a deployment gap, not the user's fault.
  if (!template || !templateId) throw new DomainError('unavailable', UNAVAILABLE);
  const phoneHash = deps.pii.blindIndex(input.phone, 'mobile');
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const { codeId, messageId } = await deps.db.transaction().execute(async (trx) => {
    // Always the phone's key before the address's: two sends never wait on each other in a circle.
    await lockKey(trx, `sms:phone:${phoneHash}`, now);
    await lockKey(trx, `sms:ip:${input.ip}`, now);
    for (const [window, limit, message] of PHONE_LIMITS) {
      if ((await countSmsCodesSince(trx, 'phone_hash', phoneHash, now - window)) >= limit) {
        throw new DomainError('rate_limited', message);
      }
    }
    if ((await countSmsCodesSince(trx, 'ip', input.ip, now - IP_LIMIT[0])) >= IP_LIMIT[1]) {
      throw new DomainError('rate_limited', '请求过于频繁，请稍后再试');
    }
    const codeId = await insertSmsCode(trx, {
      phone_hash: phoneHash,
      purpose: input.purpose,
      code_hash: deps.pii.blindIndex(code, `sms:${input.purpose}:${input.phone}`),
      ip: input.ip,
      expires_at: now + SMS_CODE_TTL_MS,
      used_at: null,
      created_at: now,
    });
    const messageId = await insertSmsMessage(trx, {
      purpose: input.purpose,
      phone_masked: maskedPhone(input.phone),
      phone_hash: phoneHash,
      provider: deps.sms.provider.name,
      template_id: templateId,
      provider_id: null,
      request_id: null,
      status: 'sending',
      error_code: null,
      error_message: null,
      created_at: now,
      updated_at: now,
    });
    return { codeId, messageId };
  });
  const params = { code };
  const result = await sendOnce(deps.sms, {
    phone: input.phone,
    templateId,
    params,
    signName: deps.sms.signName,
    text: renderSmsTemplate(template.wording, params),
  });
  if (result.ok) {
    await recordSmsOutcome(
      deps.db,
      messageId,
      { status: 'sent', providerId: result.providerId, requestId: result.requestId },
      now,
    );
    return;
  }
  await recordSmsOutcome(
    deps.db,
    messageId,
    { status: 'failed', requestId: result.requestId, errorCode: result.code, errorMessage: result.message },
    now,
  );
  if (result.kind === 'unavailable') await deleteSmsCode(deps.db, codeId);
  else await spendSmsCode(deps.db, codeId, now);
  throw new DomainError(result.kind, result.message);
}

/** A provider answers every outcome as a value; anything it throws is treated as it being down. */
async function sendOnce(channel: SmsChannel, message: Parameters<SmsChannel['provider']['send']>[0]) {
  try {
    return await channel.provider.send(message);
  } catch {
    return { ok: false, kind: 'unavailable', code: 'UNKNOWN', message: UNAVAILABLE } satisfies SmsSendResult;
  }
}

/**
 * Spends the newest live code for phone and purpose: right → true once; wrong → false. Every
 * try is counted before the code is compared, by one conditional increment, so however many
 * guesses arrive at once only five are ever compared, and the fifth try is the code's last.
 */
export async function verifySmsCode(
  deps: Omit<SmsDeps, 'sms'>,
  input: { phone: string; purpose: string; code: string },
  now: number,
): Promise<boolean> {
  const phoneHash = deps.pii.blindIndex(input.phone, 'mobile');
  const live = await findLiveSmsCode(deps.db, { phoneHash, purpose: input.purpose }, now, MAX_ATTEMPTS);
  if (!live) return false;
  if (!(await incrementSmsCodeAttempts(deps.db, live.id, MAX_ATTEMPTS))) return false;
  const given = deps.pii.blindIndex(input.code, `sms:${input.purpose}:${input.phone}`);
  if (!signaturesEqual(live.code_hash, given)) return false;
  // Of two concurrent right answers, only one spends the code.
  return spendSmsCode(deps.db, live.id, now);
}
