import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RawInput } from '../../../core/field-reader.js';
import {
  bookLease,
  type LeaseDeps,
  type PayAnswer,
  payInstallment,
  readContract,
  readPaymentResult,
  renewalOptions,
  retireLease,
  saveLease,
} from '../../../modules/leases/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentTenant } from '../auth.js';
import { ok } from '../envelope.js';

const TAGS = ['Rental app (family 2)'];
const Value = (maxLength = 64) => Type.Optional(Type.Union([Type.String({ maxLength }), Type.Number()]));
const IdQuery = Type.Object({ id: Value(11) });
const PayBody = Type.Object(
  { id: Value(11), payment_method: Value(11), is_d_deposit: Value(11), u_p_id: Value(11) },
  { additionalProperties: true },
);
const SaveBody = Type.Object(
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

/** The spec shows the deposit-covered answer with a string id and the WeChat one with a number. */
function presentPay(answer: PayAnswer) {
  if (answer.paidByDeposit) return { id: String(answer.id) };
  const { paidByDeposit: _, ...params } = answer;
  return params;
}

export function rentalRoutes(app: FastifyInstance, ctx: DialectContext): void {
  const deps: LeaseDeps = { db: ctx.db, pii: ctx.pii, payments: ctx.payments };
  const payContext = (request: FastifyRequest) => ({ now: ctx.clock.now(), clientIp: request.ip });

  app.get(
    '/user_contract/read',
    { schema: { tags: TAGS, summary: '查看合同', querystring: IdQuery } },
    async (request) => ok(await readContract(ctx.db, request.query as RawInput)),
  );

  app.post(
    '/user_contract/save',
    { schema: { tags: TAGS, summary: '完善合同(长租下单)', body: SaveBody } },
    async (request) =>
      ok(await saveLease(deps, currentTenant(request), request.body as RawInput, ctx.clock.now())),
  );

  app.post(
    '/user_order/longPay',
    { schema: { tags: TAGS, summary: '长租--去支付', body: PayBody } },
    async (request) =>
      ok(
        presentPay(
          await payInstallment(deps, currentTenant(request), request.body as RawInput, payContext(request)),
        ),
      ),
  );

  app.post(
    '/user_order/booking',
    { schema: { tags: TAGS, summary: '长租--预订', body: PayBody } },
    async (request) => {
      const answer = await bookLease(
        deps,
        currentTenant(request),
        request.body as RawInput,
        payContext(request),
      );
      return answer.paidByDeposit ? ok() : ok(presentPay(answer));
    },
  );

  app.get(
    '/user_order/read',
    { schema: { tags: TAGS, summary: '查询支付结果', querystring: IdQuery } },
    async (request) => ok(await readPaymentResult(ctx.db, currentTenant(request), request.query as RawInput)),
  );

  app.post(
    '/user_order/retirement',
    { schema: { tags: TAGS, summary: '长租--申请退租', body: IdQuery } },
    async (request) => {
      await retireLease(ctx.db, currentTenant(request), request.body as RawInput, ctx.clock.now());
      return ok();
    },
  );

  app.get(
    '/user_order/getMonth',
    { schema: { tags: TAGS, summary: '续租月数返回', querystring: IdQuery } },
    async (request) => ok(await renewalOptions(ctx.db, currentTenant(request), request.query as RawInput)),
  );
}
