import {
  type ObjectOptions,
  type TLiteral,
  type TNumber,
  type TObject,
  type TOptional,
  type TSchema,
  type TString,
  type TUnion,
  Type,
} from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  LEASE_ID_FIELDS,
  LEASE_PAY_FIELDS,
  type LeaseField,
  type PayAnswer,
} from '../../../modules/leases/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';

/** What several family-2 route files share: tags, field and envelope schemas, the pay helpers. */

/** One route file per endpoint; each registers its route on the scope it is given. */
export type RouteFile = (app: FastifyInstance, ctx: DialectContext) => void;

export const TAGS = ['Rental app (family 2)'];

/** A form field as the app sends it: text from a form, a number from JSON, or absent. */
export type TValue = TOptional<TUnion<[TString, TNumber]>>;
export const Value = (maxLength = 64, description?: string): TValue =>
  Type.Optional(Type.Union([Type.String({ maxLength }), Type.Number()], description ? { description } : {}));

/** The body or query schema of a form the leases module describes field by field. */
export function formSchema(
  fields: Readonly<Record<string, LeaseField>>,
  options?: ObjectOptions,
): TObject<Record<string, TValue>> {
  return Type.Object(
    Object.fromEntries(
      Object.entries(fields).map(([field, { maxLength, label }]) => [field, Value(maxLength, label)]),
    ),
    options,
  );
}

export const IdQuery = formSchema(LEASE_ID_FIELDS);
export const PayBody = formSchema(LEASE_PAY_FIELDS, { additionalProperties: true });

// --- Answers: `{code: 0, data}` on success, `{code: -1, msg, errors?}` on failure (envelope.ts).

const strict = { additionalProperties: false } as const;

export const Failure = Type.Object(
  {
    code: Type.Literal(-1),
    msg: Type.String({ description: 'What is wrong; every bad field, joined by ；' }),
    errors: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), error: Type.String() }, strict), {
        description: 'The bad fields, for programs',
      }),
    ),
  },
  { ...strict, description: 'Failure: a refusal (200 when the spec describes it, else 4xx/5xx)' },
);

/** `{code: 0}`: done, nothing to answer. */
export const Done = Type.Object({ code: Type.Literal(0) }, { ...strict, description: 'Success' });

/** `{code: 0, data}`. */
export const Success = <T extends TSchema>(data: T): TObject<{ code: TLiteral<0>; data: T }> =>
  Type.Object({ code: Type.Literal(0), data }, { ...strict, description: 'Success' });

/** A family-2 route's answers: success or a described refusal with 200, other refusals with 4xx/5xx. */
export const answers = <T extends TSchema>(success: T) => ({
  200: Type.Union([success, Failure]),
  default: Failure,
});

const Int = (description?: string) => Type.Integer(description ? { description } : {});

/** The WeChat app-pay parameters of a payment to make (id: the payment). */
export const AppPay = Type.Object(
  {
    id: Int('支付id'),
    appid: Type.String(),
    partnerid: Type.String(),
    prepayid: Type.String(),
    noncestr: Type.String(),
    timestamp: Int('Unix seconds'),
    package: Type.Literal('Sign=WXPay'),
    sign: Type.String(),
  },
  { ...strict, description: 'Pay with WeChat' },
);

/** Paid at once from the deposit held for the tenant: the spec shows the id as a string. */
export const PaidByDeposit = Type.Object(
  { id: Type.String({ description: '支付id' }) },
  { ...strict, description: 'Paid from the deposit' },
);

export const payContext = (ctx: DialectContext, request: FastifyRequest) => ({
  now: ctx.clock.now(),
  clientIp: request.ip,
});

/** The spec shows the deposit-covered answer with a string id and the WeChat one with a number. */
export function presentPay(answer: PayAnswer) {
  if (answer.paidByDeposit) return { id: String(answer.id) };
  const { paidByDeposit: _, ...params } = answer;
  return params;
}

export { Int, strict };
