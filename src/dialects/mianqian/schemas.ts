import { type TProperties, type TSchema, Type } from '@sinclair/typebox';

/**
 * Pages post forms (every value a string) and scripts post JSON (numbers too); a field accepts
 * either, bounded in length. Content rules live in the module, which reports every field.
 */
export const FormValue = (maxLength = 64) =>
  Type.Optional(Type.Union([Type.String({ maxLength }), Type.Number()]));

export const SonOrderIdField = Type.Union([Type.String({ maxLength: 20 }), Type.Number()], {
  description: '订单编号',
});

export const SonOrderIdBody = Type.Object(
  { son_order_id: SonOrderIdField, mianqian_suggest: FormValue(1000) },
  { additionalProperties: true },
);

/** Envelope shapes, for the OpenAPI document. */
export const Failure = Type.Object({
  code: Type.Literal(0),
  errors: Type.Array(Type.Object({ field: Type.String(), error: Type.String() })),
  msg: Type.String(),
});

export const Success = <T extends TSchema>(data: T) =>
  Type.Object({ code: Type.Literal(1), msg: Type.String(), data });

/** A form with `son_order_id` and the given optional fields. */
export function orderForm(fields: TProperties) {
  return Type.Object({ son_order_id: SonOrderIdField, ...fields }, { additionalProperties: true });
}

export function optionalFields(names: readonly string[], maxLength = 64): TProperties {
  return Object.fromEntries(names.map((name) => [name, FormValue(maxLength)]));
}
