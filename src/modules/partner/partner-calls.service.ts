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
  const partner = await findPartnerUa(db, partnerId);
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
    calls: rows.map(presentCall),
  };
}

export interface PartnerCallRow {
  id: number;
  call: string;
  status: number;
  result: string | null;
  message: string;
  created_at: number;
}

const presentCall = (row: {
  id: number | string;
  call: string;
  status: number | string;
  result: string | null;
  message: string;
  created_at: number | string;
}): PartnerCallRow => ({
  ...row,
  id: Number(row.id),
  status: Number(row.status),
  created_at: Number(row.created_at),
});

async function findPartnerUa(db: Kysely<Database>, partnerId: number) {
  const partner = await db.selectFrom('partners').select('ua').where('id', '=', partnerId).executeTakeFirst();
  if (!partner) throw new DomainError('not_found', '合作方不存在', [{ field: 'id', error: '合作方不存在' }]);
  return partner;
}

/**
 * The partner's whole call log for the export, in the list's order: the partner looked up now
 * (an unknown one refused before anything is sent), then keyset pages after the last row's
 * (created_at, id) on partner_call_log_time — one statement a page, however deep.
 */
export async function partnerCallExportPages(db: Kysely<Database>, partnerId: number) {
  const { ua } = await findPartnerUa(db, partnerId);
  return {
    ua,
    page: async (after: PartnerCallRow | undefined, limit: number) => {
      let query = db
        .selectFrom('partner_call_log')
        .select(['id', 'call', 'status', 'result', 'message', 'created_at'])
        .where('ua', '=', ua)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit);
      if (after !== undefined)
        query = query.where((eb) =>
          eb.or([
            eb('created_at', '<', after.created_at),
            eb.and([eb('created_at', '=', after.created_at), eb('id', '<', after.id)]),
          ]),
        );
      return (await query.execute()).map(presentCall);
    },
  };
}
