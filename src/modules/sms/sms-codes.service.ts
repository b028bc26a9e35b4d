import { randomInt, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../core/domain-error.js';
import type { Database } from '../../database.js';
import { lockKey } from '../../platform/limits/key-lock.js';
import type { Pii } from '../../platform/pii.js';
import type { SmsSender } from '../../platform/sms/sms-sender.js';
import {
  countSmsCodesSince,
  findLiveSmsCode,
  incrementSmsCodeAttempts,
  insertSmsCode,
  spendSmsCode,
} from './sms-code.repository.js';

export const SMS_CODE_TTL_MS = 5 * 60_000;
const MAX_ATTEMPTS = 5;
/** Per phone: 1 a minute, 5 an hour, 10 a day (Aliyun's defaults); per client IP: 10 a minute. */
const PHONE_LIMITS: ReadonlyArray<[number, number, string]> = [
  [60_000, 1, '验证码发送过于频繁，请1分钟后再试'],
  [3_600_000, 5, '验证码发送次数过多，请1小时后再试'],
  [86_400_000, 10, '今日验证码发送次数已达上限'],
];
const IP_LIMIT: [number, number] = [60_000, 10];

interface SmsDeps {
  db: Kysely<Database>;
  pii: Pii;
  sms: SmsSender;
}

/**
 * Sends a fresh 6-digit code bound to phone and purpose. The answer is the same whether or not
 * the phone belongs to anyone, so the endpoint cannot be used to probe for customers. The
 * phone's and the address's windows are counted and the code recorded under their keys'
 * locks, so concurrent sends to one phone queue and the limits hold; the message leaves after
 * the commit, never holding a transaction open across the network.
 */
export async function sendSmsCode(
  deps: SmsDeps,
  input: { phone: string; purpose: string; ip: string },
  now: number,
): Promise<void> {
  const phoneHash = deps.pii.blindIndex(input.phone, 'mobile');
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await deps.db.transaction().execute(async (trx) => {
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
    await insertSmsCode(trx, {
      phone_hash: phoneHash,
      purpose: input.purpose,
      code_hash: deps.pii.blindIndex(code, `sms:${input.purpose}:${input.phone}`),
      ip: input.ip,
      expires_at: now + SMS_CODE_TTL_MS,
      used_at: null,
      created_at: now,
    });
  });
  await deps.sms.send(input.phone, `您的验证码是${code}，5分钟内有效，请勿告诉他人。`);
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
  const expected = Buffer.from(live.code_hash);
  const given = Buffer.from(deps.pii.blindIndex(input.code, `sms:${input.purpose}:${input.phone}`));
  const matches = expected.length === given.length && timingSafeEqual(expected, given);
  if (!matches) return false;
  // Of two concurrent right answers, only one spends the code.
  return spendSmsCode(deps.db, live.id, now);
}
