import type { FastifySchemaValidationError } from 'fastify';
import type { FieldError } from '../../core/domain-error.js';

/**
 * Turns schema-validation failures into one Chinese message per field, worded from the field's
 * label, so every family can report every bad field at once in its own envelope. A field inside
 * a list is named by its list, item and own label (组织机构第2项机构编码格式不正确), so the
 * message says which item is wrong.
 */
export function schemaErrorsToFields(
  errors: readonly FastifySchemaValidationError[],
  labels: Readonly<Record<string, string>>,
): FieldError[] {
  const byPath = new Map<string, { path: string[]; errors: FastifySchemaValidationError[] }>();
  for (const error of errors) {
    const params = error.params as { missingProperty?: string };
    const path = error.instancePath.split('/').filter(Boolean);
    if (params.missingProperty !== undefined) path.push(params.missingProperty);
    const key = path.join('/');
    const entry = byPath.get(key) ?? { path, errors: [] };
    entry.errors.push(error);
    byPath.set(key, entry);
  }
  const label = (name: string) => (Object.hasOwn(labels, name) ? labels[name] : undefined) ?? name;
  const out: FieldError[] = [];
  for (const { path, errors: list } of byPath.values()) {
    const name = path.length
      ? path.map((part) => (/^\d+$/.test(part) ? `第${Number(part) + 1}项` : label(part))).join('')
      : '请求';
    const tooLong = list.find((e) => e.keyword === 'maxLength');
    const missing = list.find((e) => e.keyword === 'required');
    const error = missing
      ? `${name}不能为空`
      : tooLong
        ? `${name}不能超过${(tooLong.params as { limit: number }).limit}个字符`
        : `${name}格式不正确`;
    out.push({ field: path[0] ?? '', error });
  }
  return out;
}
