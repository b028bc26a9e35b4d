import { parseDecimal } from './decimal.js';
import type { FieldError } from './domain-error.js';
import { DomainError } from './domain-error.js';
import { parseResidentId, type ResidentId } from './id-card.js';
import { normalizeMobile } from './mobile.js';
import { isCalendarDate } from './time.js';

export type RawInput = Readonly<Record<string, unknown>>;

/** True for a value a FieldReader can read: an object of fields (parsed JSON or a form), not an array. */
export function isRawInput(value: unknown): value is RawInput {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Presence {
  required?: boolean;
}

const ID_CARD_PROBLEMS = {
  format: '格式不正确',
  province: '地区码不正确',
  birth_date: '出生日期不正确',
  check_digit: '校验位不正确',
} as const;

/**
 * Reads untrusted request fields into typed values, collecting every failure (named by the
 * field and worded from its Chinese label) instead of stopping at the first. Forms send
 * strings and JSON sends numbers; both are read the same way, and an empty value is absent.
 */
export class FieldReader {
  readonly errors: FieldError[] = [];

  constructor(
    private readonly input: RawInput,
    private readonly labels: Readonly<Record<string, string>>,
  ) {}

  label(field: string): string {
    return this.labels[field] ?? field;
  }

  fail(field: string, error: string): void {
    if (!this.errors.some((e) => e.field === field)) this.errors.push({ field, error });
  }

  failed(field: string): boolean {
    return this.errors.some((e) => e.field === field);
  }

  /** Throws the validation error listing every failed field, if any. */
  done(): void {
    if (this.errors.length) throw DomainError.validation(this.errors);
  }

  /** The field as trimmed text; undefined when absent or empty. Objects and arrays fail. */
  raw(field: string, opts: Presence = {}): string | undefined {
    const value = this.input[field];
    let text: string | undefined;
    if (typeof value === 'string') text = value.trim();
    else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
    else if (value !== undefined && value !== null) {
      this.fail(field, `${this.label(field)}格式不正确`);
      return undefined;
    }
    if (text === undefined || text === '') {
      if (opts.required) this.fail(field, `${this.label(field)}不能为空`);
      return undefined;
    }
    return text;
  }

  text(field: string, opts: Presence & { min?: number; max: number }): string | undefined {
    const text = this.raw(field, opts);
    if (text === undefined) return undefined;
    const length = [...text].length;
    if (length > opts.max) return this.reject(field, `${this.label(field)}不能超过${opts.max}个字符`);
    if (opts.min !== undefined && length < opts.min) {
      return this.reject(field, `${this.label(field)}不能少于${opts.min}个字符`);
    }
    return text;
  }

  int(
    field: string,
    opts: Presence & { min?: number; max?: number; oneOf?: readonly number[] },
  ): number | undefined {
    const text = this.raw(field, opts);
    if (text === undefined) return undefined;
    if (!/^-?\d{1,15}$/.test(text)) return this.reject(field, `${this.label(field)}必须是整数`);
    const value = Number(text);
    if (opts.oneOf && !opts.oneOf.includes(value))
      return this.reject(field, `${this.label(field)}不在可选范围内`);
    if (opts.min !== undefined && value < opts.min)
      return this.reject(field, `${this.label(field)}不能小于${opts.min}`);
    if (opts.max !== undefined && value > opts.max)
      return this.reject(field, `${this.label(field)}不能大于${opts.max}`);
    return value;
  }

  /** 万元 with at most 2 decimals, answered in fen (1 万元 = 10⁶ fen). */
  wanYuan(field: string, opts: Presence & { positive?: boolean }): number | undefined {
    return this.amount(field, 6, 2, opts);
  }

  /** 元 with at most 2 decimals, answered in fen. */
  yuan(field: string, opts: Presence & { positive?: boolean }): number | undefined {
    return this.amount(field, 2, 2, opts);
  }

  /** A non-negative decimal kept as an integer × 10^scale. */
  decimal(
    field: string,
    scale: number,
    opts: Presence & { positive?: boolean; max?: number },
  ): number | undefined {
    return this.amount(field, scale, scale, opts);
  }

  mobile(field: string, opts: Presence = {}): string | undefined {
    const text = this.raw(field, opts);
    if (text === undefined) return undefined;
    return normalizeMobile(text) ?? this.reject(field, `${this.label(field)}不是有效的手机号码`);
  }

  idCard(field: string, now: number, opts: Presence = {}): ResidentId | undefined {
    const text = this.raw(field, opts);
    if (text === undefined) return undefined;
    const parsed = parseResidentId(text, now);
    return parsed.ok
      ? parsed.value
      : this.reject(field, `${this.label(field)}${ID_CARD_PROBLEMS[parsed.problem]}`);
  }

  /** A calendar date written YYYY-MM-DD. */
  date(field: string, opts: Presence = {}): string | undefined {
    const text = this.raw(field, opts);
    if (text === undefined) return undefined;
    return isCalendarDate(text) ? text : this.reject(field, `${this.label(field)}不是有效日期(YYYY-MM-DD)`);
  }

  /** A non-negative decimal of at most `decimals` places, kept as an integer × 10^scale. */
  private amount(
    field: string,
    scale: number,
    decimals: number,
    opts: Presence & { positive?: boolean; max?: number },
  ): number | undefined {
    const text = this.raw(field, opts);
    if (text === undefined) return undefined;
    const parsed = parseDecimal(text, scale, {
      maxDecimals: decimals,
      allowNegative: true,
      ...(opts.max === undefined ? {} : { max: opts.max }),
    });
    const label = this.label(field);
    if (!parsed.ok) {
      if (parsed.problem === 'too_many_decimals')
        return this.reject(field, `${label}最多保留${decimals}位小数`);
      return this.reject(
        field,
        parsed.problem === 'too_large' ? `${label}超出允许范围` : `${label}必须是数字`,
      );
    }
    if (parsed.value < 0)
      return this.reject(field, opts.positive ? `${label}必须大于0` : `${label}不能为负数`);
    if (opts.positive && parsed.value === 0) return this.reject(field, `${label}必须大于0`);
    return parsed.value;
  }

  private reject(field: string, error: string): undefined {
    this.fail(field, error);
    return undefined;
  }
}
