import type { FormInstance } from 'antd';
import { ApiError, type FieldError } from './client';

/**
 * Puts each of a refusal's `errors` on the form field it names (family 1 names every bad field
 * at once, in Chinese). Answers the errors that name no field of this form, so the caller shows
 * them (or the refusal's `msg`) elsewhere; an error that is not a refusal is answered as one
 * such error.
 */
export function showFieldErrors(form: FormInstance, error: unknown): FieldError[] {
  if (!(error instanceof ApiError)) {
    return [{ field: '', error: error instanceof Error ? error.message : String(error) }];
  }
  const registered = new Set(Object.keys(form.getFieldsValue()));
  const onFields = error.errors.filter((e) => registered.has(e.field));
  form.setFields(
    // One field may be named twice; antd shows a field's errors as a list.
    [...new Set(onFields.map((e) => e.field))].map((field) => ({
      name: field,
      errors: onFields.filter((e) => e.field === field).map((e) => e.error),
    })),
  );
  const elsewhere = error.errors.filter((e) => !registered.has(e.field));
  return elsewhere.length > 0 || onFields.length > 0 ? elsewhere : [{ field: '', error: error.message }];
}
