import type { FastifySchemaValidationError } from 'fastify';
import type { FieldError } from '../../core/domain-error.js';

/**
 * Turns schema-validation failures into one Chinese message per field, worded from the field's
 * label, so every family can report every bad field at once in its own envelope.
 */
export function schemaErrorsToFields(
  errors: readonly FastifySchemaValidationError[],
  labels: Readonly<Record<string, string>>,
): FieldError[] {
  const byField = new Map<string, FastifySchemaValidationError[]>();
  for (const error of errors) {
    const params = error.params as { missingProperty?: string };
    const field = params.missingProperty ?? error.instancePath.split('/').filter(Boolean)[0] ?? '';
    byField.set(field, [...(byField.get(field) ?? []), error]);
  }
  const out: FieldError[] = [];
  for (const [field, list] of byField) {
    const label = (Object.hasOwn(labels, field) ? labels[field] : undefined) ?? (field || '请求');
    const tooLong = list.find((e) => e.keyword === 'maxLength');
    const missing = list.find((e) => e.keyword === 'required');
    const error = missing
      ? `${label}不能为空`
      : tooLong
        ? `${label}不能超过${(tooLong.params as { limit: number }).limit}个字符`
        : `${label}格式不正确`;
    out.push({ field, error });
  }
  return out;
}
