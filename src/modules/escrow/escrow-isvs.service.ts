import type { Kysely } from 'kysely';
import { DomainError, type FieldError } from '../../core/domain-error.js';
import type { Database } from '../../database.js';
import { isUniqueViolation } from '../../platform/db/database.js';
import { groupInsert } from '../../platform/db/group-insert.js';
import type { Pii } from '../../platform/pii.js';
import { signatureMemory } from '../../platform/replay/signature-memory.js';
import { recordAudit } from '../audit/index.js';
import { findActiveIsv, insertIsv, listIsvs } from './escrow.repository.js';

type Db = Kysely<Database>;

export interface EscrowIsv {
  id: number;
  appKey: string;
  /** Decrypted: for checking the TOP signature only. */
  secret: string;
  methods: readonly string[] | '*';
  storeIds: readonly number[] | '*';
  callbackUrl: string | null;
}

export interface NewEscrowIsv {
  appKey: string;
  secret: string;
  methods: readonly string[] | '*';
  storeIds: readonly number[] | '*';
  callbackUrl?: string | undefined;
}

export async function createIsv(
  deps: { db: Db; pii: Pii },
  input: NewEscrowIsv,
  now: number,
  actor: string,
): Promise<{ id: number; appKey: string }> {
  const errors: FieldError[] = [];
  if (!/^[A-Za-z0-9_-]{6,64}$/.test(input.appKey)) {
    errors.push({ field: 'app_key', error: 'app_key须为6-64位字母、数字、下划线或连字符' });
  }
  if (input.secret.length < 16 || input.secret.length > 128) {
    errors.push({ field: 'secret', error: 'secret长度须为16-128个字符' });
  }
  if (
    input.methods !== '*' &&
    (input.methods.length === 0 || !input.methods.every((m) => /^[a-z0-9_.]{1,128}$/.test(m)))
  ) {
    errors.push({ field: 'methods', error: '可调用的方法须为*或方法名列表' });
  }
  if (
    input.storeIds !== '*' &&
    (input.storeIds.length === 0 || !input.storeIds.every((s) => Number.isSafeInteger(s) && s > 0))
  ) {
    errors.push({ field: 'store_ids', error: '可代理的门店须为*或门店ID列表' });
  }
  if (input.callbackUrl !== undefined && !/^https?:\/\/[^\s?#]+$/.test(input.callbackUrl)) {
    errors.push({ field: 'callback_url', error: '回调地址须为不带参数的http(s)地址' });
  }
  if (errors.length) throw DomainError.validation(errors);
  const methods = input.methods === '*' ? '*' : input.methods.join(',');
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const id = await insertIsv(trx, {
        app_key: input.appKey,
        secret_enc: deps.pii.encrypt(input.secret),
        methods,
        store_ids: input.storeIds === '*' ? '*' : input.storeIds.join(','),
        callback_url: input.callbackUrl ?? null,
        created_at: now,
      });
      await recordAudit(trx, {
        actor,
        entity: 'escrow_isv',
        entity_id: input.appKey,
        action: 'create',
        from_state: null,
        to_state: methods,
        reason: null,
        created_at: now,
      });
      return { id, appKey: input.appKey };
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw DomainError.validation([{ field: 'app_key', error: 'app_key已存在' }]);
    throw error;
  }
}

/** The ISVs without their secrets. */
export async function listEscrowIsvs(db: Db, afterId?: number, limit?: number) {
  const rows = await listIsvs(db, afterId, limit);
  return rows.map((r) => ({
    id: Number(r.id),
    appKey: r.app_key,
    methods: r.methods === '*' ? ('*' as const) : r.methods.split(',').filter(Boolean),
    storeIds: r.store_ids === '*' ? ('*' as const) : r.store_ids.split(',').filter(Boolean).map(Number),
    callbackUrl: r.callback_url,
    active: r.active === 1,
    createdAt: Number(r.created_at),
  }));
}

/** The active ISV with this app_key, its secret decrypted for the signature check. */
export async function findIsv(deps: { db: Db; pii: Pii }, appKey: string): Promise<EscrowIsv | undefined> {
  const row = await findActiveIsv(deps.db, appKey);
  if (!row) return undefined;
  return {
    id: Number(row.id),
    appKey: row.app_key,
    secret: deps.pii.decrypt(row.secret_enc),
    methods: row.methods === '*' ? '*' : row.methods.split(',').filter(Boolean),
    storeIds: row.store_ids === '*' ? '*' : row.store_ids.split(',').filter(Boolean).map(Number),
    callbackUrl: row.callback_url,
  };
}

/** Whether the ISV may call this TOP method. */
export function isvMayCall(isv: Pick<EscrowIsv, 'methods'>, method: string): boolean {
  return isv.methods === '*' || isv.methods.includes(method);
}

/** Whether the ISV may act for this store (an invitation without a store needs `*`). */
export function isvMayActFor(isv: Pick<EscrowIsv, 'storeIds'>, storeId: number | null): boolean {
  return isv.storeIds === '*' || (storeId !== null && isv.storeIds.includes(storeId));
}

/** The ISVs' accepted signatures: a request's signature is spent once, inside what it writes. */
export const isvSignatures = (db: Db) => signatureMemory(db, 'escrow_signatures');

export interface IsvCall {
  appKey: string;
  method: string;
  code: string;
  at: number;
}

/**
 * One row per gateway call: who, which method, the answer's code, when. No arguments: they carry
 * PII. Calls logged together share one statement; each caller's promise settles with its own row.
 */
export function isvCallLog(db: Db): (entry: IsvCall) => Promise<void> {
  const insert = groupInsert(db, 'escrow_call_log');
  return (entry) =>
    insert({
      app_key: entry.appKey.slice(0, 64),
      method: entry.method.slice(0, 128),
      code: entry.code.slice(0, 64),
      created_at: entry.at,
    });
}
