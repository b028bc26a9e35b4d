import type { Kysely } from 'kysely';
import { DomainError, type FieldError } from '../../core/domain-error.js';
import type { Database } from '../../database.js';
import { isUniqueViolation } from '../../platform/db/database.js';
import { groupInsert } from '../../platform/db/group-insert.js';
import type { Pii } from '../../platform/pii.js';
import { signatureMemory } from '../../platform/replay/signature-memory.js';
import { recordAudit } from '../audit/index.js';
import { findActivePartner, insertPartner } from './partner.repository.js';

type Db = Kysely<Database>;

export interface Partner {
  id: number;
  ua: string;
  signkey: string;
  calls: readonly string[] | '*';
  callbackUrl: string | null;
}

/** How far a request's timestamp may be from our clock, either way. */
export const PARTNER_CLOCK_SKEW_MS = 10 * 60_000;

export async function createPartner(
  deps: { db: Db; pii: Pii },
  input: { ua: string; signkey: string; calls: readonly string[] | '*'; callbackUrl?: string | undefined },
  now: number,
  actor: string,
): Promise<{ id: number; ua: string }> {
  const errors: FieldError[] = [];
  if (!/^[\w.-]{2,64}$/.test(input.ua))
    errors.push({ field: 'ua', error: 'ua须为2-64位字母、数字、点、下划线或连字符' });
  if (input.signkey.length < 16 || input.signkey.length > 128)
    errors.push({ field: 'signkey', error: 'signkey长度须为16-128个字符' });
  if (input.callbackUrl !== undefined && !/^https?:\/\/[^\s?#]+$/.test(input.callbackUrl)) {
    errors.push({ field: 'callback_url', error: '回调地址须为不带参数的http(s)地址' });
  }
  if (errors.length) throw DomainError.validation(errors);
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const id = await insertPartner(trx, {
        ua: input.ua,
        signkey_enc: deps.pii.encrypt(input.signkey),
        calls: input.calls === '*' ? '*' : input.calls.join(','),
        callback_url: input.callbackUrl ?? null,
        created_at: now,
      });
      await recordAudit(trx, {
        actor,
        entity: 'partner',
        entity_id: input.ua,
        action: 'create',
        from_state: null,
        to_state: input.calls === '*' ? '*' : input.calls.join(','),
        reason: null,
        created_at: now,
      });
      return { id, ua: input.ua };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw DomainError.validation([{ field: 'ua', error: 'ua已存在' }]);
    throw error;
  }
}

export async function findPartner(deps: { db: Db; pii: Pii }, ua: string): Promise<Partner | undefined> {
  const row = await findActivePartner(deps.db, ua);
  if (!row) return undefined;
  return {
    id: Number(row.id),
    ua: row.ua,
    signkey: deps.pii.decrypt(row.signkey_enc),
    calls: row.calls === '*' ? '*' : row.calls.split(',').filter(Boolean),
    callbackUrl: row.callback_url,
  };
}

/**
 * Remembers a request's signature; false when the same (ua, sign) was already accepted, which
 * is a replay.
 */
export async function rememberSignature(db: Db, ua: string, sign: string, now: number): Promise<boolean> {
  return signatureMemory(db, 'partner_signatures').remember(ua, sign, now);
}

/**
 * Job: forgets the days that ended more than `replayMs` ago. The timestamp is not signed, so a
 * remembered signature is all that refuses a captured call: each is kept for at least
 * `replayMs`, and at most a day longer.
 */
export async function forgetOldSignatures(db: Db, now: number, replayMs: number): Promise<void> {
  await signatureMemory(db, 'partner_signatures').forgetBefore(now, replayMs);
}

export interface PartnerCall {
  ua: string;
  call: string;
  status: number;
  result: string | null;
  message: string;
  at: number;
}

/**
 * One row per gateway call: who, which call, the outcome, when. No arguments: they carry PII.
 * Calls logged together share one statement; each caller's promise settles with its own row.
 */
export function partnerCallLog(db: Db): (entry: PartnerCall) => Promise<void> {
  const insert = groupInsert(db, 'partner_call_log');
  return (entry) =>
    insert({
      ua: entry.ua.slice(0, 64),
      call: entry.call.slice(0, 64),
      status: entry.status,
      result: entry.result,
      message: entry.message.slice(0, 200),
      created_at: entry.at,
    });
}
