import type { Kysely } from 'kysely';
import { DomainError } from '../../core/domain-error.js';
import { formatShanghaiDateTime } from '../../core/time.js';
import type { Database } from '../../database.js';
import { nextSonOrderSequence } from './loan-order.repository.js';

/** `yyMMddHHmm` of the moment in Beijing time: the spec's order numbers start with it. */
export function sonOrderMinute(ms: number): string {
  const t = formatShanghaiDateTime(ms);
  return t.slice(2, 4) + t.slice(5, 7) + t.slice(8, 10) + t.slice(11, 13) + t.slice(14, 16);
}

/** `yyMMddHHmm` + a 3-digit per-minute sequence, handed out by the database, not by chance. */
export async function allocateSonOrderId(db: Kysely<Database>, now: number): Promise<string> {
  const minute = sonOrderMinute(now);
  const sequence = await nextSonOrderSequence(db, minute);
  if (sequence > 999) throw new DomainError('rate_limited', '本分钟订单号已用完，请稍后再试');
  return minute + String(sequence).padStart(3, '0');
}
