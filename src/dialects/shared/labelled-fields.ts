import type { TSchema } from '@sinclair/typebox';

/** A form's fields, each with its Chinese label, in the order the form lists them. */
export type FieldTable = Readonly<Record<string, string>>;

/**
 * A schema property per field of `table`, each made by `make` from the field's label (which
 * it should carry as `description`, so /docs names the field as the validation messages do).
 * The table is the one list of the form's fields: schema, docs and messages follow it.
 */
export function labelledProperties<T extends FieldTable, S extends TSchema>(
  table: T,
  make: (label: string, field: keyof T & string) => S,
): { [K in keyof T]: S } {
  return Object.fromEntries(Object.entries(table).map(([field, label]) => [field, make(label, field)])) as {
    [K in keyof T]: S;
  };
}
