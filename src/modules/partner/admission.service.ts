import type { Kysely } from 'kysely';
import { DomainError } from '../../core/domain-error.js';
import { FieldReader, isRawInput, type RawInput } from '../../core/field-reader.js';
import { ageOn } from '../../core/id-card.js';
import { addMonths, formatShanghaiDate, isCalendarDate } from '../../core/time.js';
import type { Database } from '../../database.js';
import type { Pii } from '../../platform/pii.js';
import { recordAudit } from '../audit/index.js';
import { borrowersByMatchHash, ordersOfBorrower, personMatchHash } from '../loan-orders/index.js';
import { findPartnerSetting, isBlacklisted, upsertPartnerSetting } from './partner.repository.js';

type Db = Kysely<Database>;

/** What an admin configures: who may borrow, and the product offered when they may. */
export interface AdmissionRules {
  min_age: number;
  max_age: number;
  /** Days after a refusal (an order stopped without cause) before a new application. */
  refuse_days: number;
  /** Whether a person with a bound card may bind a different one. */
  allow_rebind: boolean;
  /** Whether binding a card asks for an SMS code first (answer 100, then the code). */
  bind_sms: boolean;
  product: { amount: number; min_amount: number; terms: number[]; term_type: 1 | 2 | 3; loan_mode: 0 | 1 };
}

export const DEFAULT_RULES: AdmissionRules = {
  min_age: 22,
  max_age: 60,
  refuse_days: 30,
  allow_rebind: false,
  bind_sms: true,
  product: {
    amount: 300_000_000,
    min_amount: 10_000_000,
    terms: [1, 2, 3, 4, 5, 6, 12],
    term_type: 2,
    loan_mode: 0,
  },
};

const RULES_KEY = 'admission';

export async function readRules(db: Db): Promise<AdmissionRules> {
  const value = await findPartnerSetting(db, RULES_KEY);
  return value === undefined
    ? DEFAULT_RULES
    : { ...DEFAULT_RULES, ...(JSON.parse(value) as Partial<AdmissionRules>) };
}

/** Replaces the rules after checking every field; answers what is now in force. */
export async function saveRules(
  db: Db,
  input: RawInput,
  now: number,
  actor: string,
): Promise<AdmissionRules> {
  const labels = {
    min_age: '最小年龄',
    max_age: '最大年龄',
    refuse_days: '拒绝后等待天数',
    amount: '最大额度',
    min_amount: '最小额度',
    terms: '期限',
    term_type: '期限单位',
    loan_mode: '流程',
  };
  const r = new FieldReader(input, labels);
  const product = isRawInput(input.product) ? input.product : {};
  const p = new FieldReader(product, labels);
  const minAge = r.int('min_age', { required: true, min: 18, max: 100 });
  const maxAge = r.int('max_age', { required: true, min: 18, max: 100 });
  if (minAge !== undefined && maxAge !== undefined && maxAge < minAge)
    r.fail('max_age', '最大年龄不能小于最小年龄');
  const refuseDays = r.int('refuse_days', { required: true, min: 0, max: 3650 });
  const amount = p.int('amount', { required: true, min: 1 });
  const minAmount = p.int('min_amount', { required: true, min: 1 });
  if (amount !== undefined && minAmount !== undefined && minAmount > amount)
    p.fail('min_amount', '最小额度不能大于最大额度');
  const termType = p.int('term_type', { required: true, oneOf: [1, 2, 3] });
  const loanMode = p.int('loan_mode', { required: true, oneOf: [0, 1] });
  const terms = Array.isArray(product.terms) ? product.terms : undefined;
  if (!terms || terms.length === 0 || !terms.every((t) => Number.isInteger(t) && t > 0))
    p.fail('terms', '期限须为正整数数组');
  const errors = [...r.errors, ...p.errors.map((e) => ({ ...e, field: `product.${e.field}` }))];
  if (errors.length) throw DomainError.validation(errors);
  const rules: AdmissionRules = {
    min_age: minAge!,
    max_age: maxAge!,
    refuse_days: refuseDays!,
    allow_rebind: input.allow_rebind === true,
    bind_sms: input.bind_sms !== false,
    product: {
      amount: amount!,
      min_amount: minAmount!,
      terms: terms as number[],
      term_type: termType as 1 | 2 | 3,
      loan_mode: loanMode as 0 | 1,
    },
  };
  await db.transaction().execute(async (trx) => {
    await upsertPartnerSetting(trx, RULES_KEY, JSON.stringify(rules), now);
    await recordAudit(trx, {
      actor,
      entity: 'partner_rules',
      entity_id: RULES_KEY,
      action: 'update',
      from_state: null,
      to_state: JSON.stringify(rules),
      reason: null,
      created_at: now,
    });
  });
  return rules;
}

const LABELS = { user_name: '用户姓名', user_phone: '用户手机号', user_idcard: '用户身份证号码', md5: 'md5' };

const dayAfter = (ms: number, days: number) => formatShanghaiDate(ms + days * 86_400_000);
/**
 * User.isUserAccept: the platform names a person by name, mobile masked in its last 3 digits,
 * ID number masked in its last 4 and md5(mobile + ID). We find them through the keyed index of
 * that md5 and confirm the visible parts, then answer by the rules in the spec's order:
 * 301 age, 401 unfinished loan, 402 bad record, 403 blacklist, 505 refused recently, else 200.
 */
export async function checkAdmission(deps: { db: Db; pii: Pii }, args: RawInput, now: number) {
  const r = new FieldReader(args, LABELS);
  const name = r.text('user_name', { required: true, max: 30 });
  const phone = r.text('user_phone', { required: true, max: 11 });
  if (phone !== undefined && !/^1[3-9]\d{6}\*{3}$/.test(phone))
    r.fail('user_phone', '用户手机号须为掩后3位的手机号');
  const idCard = r.text('user_idcard', { required: true, max: 18 });
  if (idCard !== undefined && !/^\d{14}\*{4}$/.test(idCard))
    r.fail('user_idcard', '用户身份证号码须为掩后4位的身份证号');
  const birth = idCard ? `${idCard.slice(6, 10)}-${idCard.slice(10, 12)}-${idCard.slice(12, 14)}` : '';
  if (idCard && !r.failed('user_idcard') && (!isCalendarDate(birth) || birth > formatShanghaiDate(now))) {
    r.fail('user_idcard', '用户身份证号码出生日期不正确');
  }
  const md5 = r.text('md5', { max: 32 });
  if (md5 !== undefined && !/^[0-9a-fA-F]{32}$/.test(md5)) r.fail('md5', 'md5须为32位十六进制');
  r.done();
  const rules = await readRules(deps.db);

  const age = ageOn(birth, now);
  if (age < rules.min_age || age > rules.max_age) {
    const tooYoung = age < rules.min_age;
    const canLoan = tooYoung ? firstDayAged(birth, rules.min_age) : '';
    return {
      result: 301,
      can_loan_time: canLoan,
      remark: tooYoung ? '用户年龄未满可借年龄' : '用户年龄超过可借年龄',
    };
  }

  const matchHash = md5 ? personMatchHash(deps.pii, md5) : undefined;
  const person = matchHash
    ? await matchPerson(deps, matchHash, { name: name!, phone: phone!, idCard: idCard! })
    : undefined;
  const orders = person ? await ordersOfBorrower(deps, person.idCardHash) : [];

  const open = orders.filter((o) => o.state === 'open');
  if (open.length) {
    // ISO dates sort as text: the latest end of the open loans is when they may borrow again.
    const until = open
      .map((o) => addMonths(formatShanghaiDate(o.created_at), o.loan_limit ?? 1))
      .sort()
      .at(-1)!;
    return { result: 401, can_loan_time: until };
  }
  if (orders.some((o) => o.bad_record === 1))
    return { result: 402, can_loan_time: '', remark: '用户在机构有不良借款记录' };

  const hashes = [matchHash, person?.idCardHash].filter((h): h is string => h !== undefined);
  if (hashes.length > 0 && (await isBlacklisted(deps.db, hashes)))
    return { result: 403, can_loan_time: '', remark: '该用户是征信系统黑名单用户' };

  const refusedAt = Math.max(0, ...orders.filter((o) => o.state === 'stopped').map((o) => o.updated_at));
  if (refusedAt && now < refusedAt + rules.refuse_days * 86_400_000) {
    const day = dayAfter(refusedAt, rules.refuse_days);
    return {
      result: 505,
      can_loan_time: day,
      remark: `您之前的借款订单未通过审核，${day.slice(0, 4)}年${day.slice(5, 7)}月${day.slice(8, 10)}日可再次申请。`,
    };
  }
  const { amount, min_amount, terms, term_type, loan_mode } = rules.product;
  return { result: 200, amount, min_amount, terms, term_type, loan_mode };
}

/** The borrower behind the md5, if the name and the visible digits agree: near-misses are nobody. */
async function matchPerson(
  deps: { db: Db; pii: Pii },
  matchHash: string,
  visible: { name: string; phone: string; idCard: string },
) {
  return (await borrowersByMatchHash(deps, matchHash)).find(
    (candidate) =>
      candidate.name === visible.name &&
      candidate.mobile.slice(0, 8) === visible.phone.slice(0, 8) &&
      candidate.idCard.slice(0, 14) === visible.idCard.slice(0, 14),
  );
}

/**
 * The first day ageOn counts `years` for someone born on `birth`: the birthday that year, or
 * 1 March when a 29 February birthday falls in a common year.
 */
function firstDayAged(birth: string, years: number): string {
  const birthday = `${Number(birth.slice(0, 4)) + years}${birth.slice(4)}`;
  return isCalendarDate(birthday) ? birthday : `${birthday.slice(0, 4)}-03-01`;
}
