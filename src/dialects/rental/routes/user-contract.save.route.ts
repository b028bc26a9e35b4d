import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { RawInput } from '../../../core/field-reader.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentTenant } from '../auth.js';
import { ok } from '../envelope.js';
import { TAGS, Value } from './shared.js';

export const SaveBody = Type.Object(
  {
    t_name: Value(16),
    t_phone: Value(20),
    t_id_card: Value(18),
    h_address: Value(160),
    r_s_time: Value(10),
    r_e_time: Value(10),
    p_time: Value(10_000),
    is_pay: Value(11),
    is_settle: Value(11),
    life: Value(10_000),
    s_phone: Value(20),
    facility: Value(10_000),
    h_i_id: Value(11),
    r_id: Value(11),
    mode: Value(11),
    m_name: Value(16),
    m_phone: Value(20),
    m_s_phone: Value(20),
    m_store: Value(64),
    other: Value(255),
    people_num: Value(11),
  },
  { additionalProperties: true },
);

/** POST /user_contract/save: complete the contract (the long-term lease order). */
export function userContractSaveRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.post(
    '/user_contract/save',
    { schema: { tags: TAGS, summary: '完善合同(长租下单)', body: SaveBody } },
    async (request) =>
      ok(await ctx.modules.leases.save(currentTenant(request), request.body as RawInput, ctx.clock.now())),
  );
}
