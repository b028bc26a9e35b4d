import type { Kysely } from 'kysely';
import { DomainError } from '../../core/domain-error.js';
import { FieldReader, type RawInput } from '../../core/field-reader.js';
import type { Database } from '../../database.js';
import { isUniqueViolation } from '../../platform/db/database.js';
import type { Pii } from '../../platform/pii.js';
import { recordAudit } from '../audit/index.js';
import { personMatchHash, platformMd5 } from '../loan-orders/index.js';
import { insertBlacklistEntry } from './partner.repository.js';

const LABELS = { id_card: '身份证号', mobile: '手机号', reason: '原因' };

/**
 * Puts a person on our blacklist by ID number (and, with the mobile, by the marketplace's md5
 * too, so people we have never lent to are recognised). Only hashes are kept.
 */
export async function addToBlacklist(
  deps: { db: Kysely<Database>; pii: Pii },
  input: RawInput,
  now: number,
  actor: string,
) {
  const r = new FieldReader(input, LABELS);
  const idCard = r.idCard('id_card', now, { required: true });
  const mobile = r.mobile('mobile');
  const reason = r.text('reason', { required: true, max: 200 });
  r.done();
  const idCardHash = deps.pii.blindIndex(idCard!.number, 'id_card');
  try {
    await deps.db.transaction().execute(async (trx) => {
      await insertBlacklistEntry(trx, {
        id_card_hash: idCardHash,
        md5_hash: mobile ? personMatchHash(deps.pii, platformMd5(mobile, idCard!.number)) : null,
        reason: reason!,
        created_at: now,
      });
      await recordAudit(trx, {
        actor,
        entity: 'partner_blacklist',
        entity_id: idCardHash,
        action: 'add',
        from_state: null,
        to_state: 'blacklisted',
        reason: reason!,
        created_at: now,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw DomainError.validation([{ field: 'id_card', error: '该身份证号已在黑名单中' }]);
    throw error;
  }
}
