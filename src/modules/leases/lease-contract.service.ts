import type { Kysely } from 'kysely';
import { DomainError } from '../../core/domain-error.js';
import type { RawInput } from '../../core/field-reader.js';
import type { Database } from '../../database.js';
import { findEntrustWithAgent } from './lease.repository.js';
import { readId } from './lease-access.js';

/** The contract offer of an entrusted house: the house, the handling agent, the payment mode. */
export async function readContract(db: Kysely<Database>, input: RawInput) {
  const id = readId(input);
  const row = await findEntrustWithAgent(db, id);
  if (!row) throw new DomainError('not_found', '房源不存在');
  return {
    entrust: {
      id: Number(row.id),
      h_address: row.h_address,
      is_settle: row.is_settle,
      water: row.water,
      electric: row.electric,
      gas: row.gas,
      s_phone: row.s_phone,
      facility: JSON.parse(row.facility) as unknown,
      other: row.other,
    },
    sale: {
      name: row.agent_name,
      phone: row.agent_phone,
      title: row.store_title,
      store_name: row.manager_name,
      store_phone: row.manager_phone,
    },
    house: {
      h_l_rent: Number(row.monthly_rent),
      is_all_pay: row.is_all_pay,
      name: row.pay_mode_name,
      // 全付 pays every month at once, so the mode itself names no month count.
      rent: row.is_all_pay === 0 ? 0 : row.rent_months,
      bet: row.bet_months,
    },
  };
}
