import type { Kysely } from 'kysely';
import { DomainError } from '../../core/domain-error.js';
import type { Database } from '../../database.js';
import { recordAudit } from '../audit/index.js';
import { deleteBlacklistEntry, findBlacklistEntry } from './partner.repository.js';

const NOT_FOUND = '黑名单记录不存在';

/**
 * An admin takes a person off the blacklist (entered by mistake, or the reason has passed): the
 * gateway judges their next call as anyone's. Audited as the addition is — the same entity id
 * (the ID number's hash), so a person's trail shows both — with the entry's reason kept there,
 * since the row itself is gone.
 */
export async function removeFromBlacklist(db: Kysely<Database>, id: number, now: number, actor: string) {
  const entry = await findBlacklistEntry(db, id);
  if (!entry) throw new DomainError('not_found', NOT_FOUND, [{ field: 'id', error: NOT_FOUND }]);
  await db.transaction().execute(async (trx) => {
    // A second admin removing it meanwhile: the entry is gone either way, so say it is.
    if (!(await deleteBlacklistEntry(trx, id)))
      throw new DomainError('not_found', NOT_FOUND, [{ field: 'id', error: NOT_FOUND }]);
    await recordAudit(trx, {
      actor,
      entity: 'partner_blacklist',
      entity_id: entry.id_card_hash,
      action: 'remove',
      from_state: 'blacklisted',
      to_state: null,
      reason: entry.reason,
      created_at: now,
    });
  });
}
