import type { Kysely } from 'kysely';
import { DomainError } from '../../core/domain-error.js';
import { FieldReader, type RawInput } from '../../core/field-reader.js';
import { PAGING_FIELDS, pagePosition, readPaging } from '../../core/paging.js';
import type { Database } from '../../database.js';

/**
 * A partner's recent gateway calls, newest first, from the call log: the call, the gateway's
 * status and message, the admission or binding result. The log never holds the arguments, so
 * no one's personal data can be in the answer. Counted and paged on partner_call_log_time (ua,
 * created_at).
 */
export async function partnerCalls(db: Kysely<Database>, partnerId: number, input: RawInput) {
  const r = new FieldReader(input, PAGING_FIELDS);
  const paging = readPaging(r);
  r.done();
  const partner = await db.selectFrom('partners').select('ua').where('id', '=', partnerId).executeTakeFirst();
  if (!partner) throw new DomainError('not_found', '合作方不存在', [{ field: 'id', error: '合作方不存在' }]);
  const [count, rows] = await Promise.all([
    db
      .selectFrom('partner_call_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('ua', '=', partner.ua)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('partner_call_log')
      .select(['id', 'call', 'status', 'result', 'message', 'created_at'])
      .where('ua', '=', partner.ua)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(paging.pageSize)
      .offset(paging.offset)
      .execute(),
  ]);
  return {
    ua: partner.ua,
    ...pagePosition(paging, Number(count.n)),
    calls: rows.map((row) => ({
      ...row,
      id: Number(row.id),
      status: Number(row.status),
      created_at: Number(row.created_at),
    })),
  };
}
