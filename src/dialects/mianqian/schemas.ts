import { type TSchema, Type } from '@sinclair/typebox';
import { WORKBENCH_FIELDS } from '../../modules/loan-orders/index.js';
import { type FieldTable, labelledProperties } from '../shared/labelled-fields.js';

/**
 * Pages post forms (every value a string) and scripts post JSON (numbers too); a field accepts
 * either, bounded in length. Content rules live in the module, which reports every field.
 */
export const FormValue = (maxLength = 64, description?: string) =>
  Type.Optional(
    Type.Union([Type.String({ maxLength }), Type.Number()], description === undefined ? {} : { description }),
  );

/** The fields of `table` as form values, each described by its label; one length for all or one per field. */
export function formFields<T extends FieldTable>(
  table: T,
  maxLength: number | { readonly [K in keyof T]: number },
) {
  return labelledProperties(table, (label, field) =>
    FormValue(typeof maxLength === 'number' ? maxLength : maxLength[field], label),
  );
}

export const SonOrderIdField = Type.Union([Type.String({ maxLength: 20 }), Type.Number()], {
  description: WORKBENCH_FIELDS.son_order_id,
});

export const MianqianSuggestField = FormValue(1000, WORKBENCH_FIELDS.mianqian_suggest);

export const SonOrderIdBody = Type.Object(
  { son_order_id: SonOrderIdField, mianqian_suggest: MianqianSuggestField },
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

/** A workbench form: `son_order_id`, the form's own fields (≤ 200 characters) and `mianqian_suggest`. */
export function orderForm<T extends FieldTable>(table: T) {
  return Type.Object(
    { son_order_id: SonOrderIdField, ...formFields(table, 200), mianqian_suggest: MianqianSuggestField },
    { additionalProperties: true },
  );
}
