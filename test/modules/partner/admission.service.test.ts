import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { idCardCheckDigit } from '../../../src/core/id-card.js';
import { personMatchHash, platformMd5, sealPerson } from '../../../src/modules/loan-orders/index.js';
import {
  checkAdmission,
  DEFAULT_RULES,
  readRules,
  saveRules,
} from '../../../src/modules/partner/admission.service.js';
import { createPii } from '../../../src/platform/pii.js';
import { rejectedDomainError } from '../../helpers/domain-errors.js';
import { openMigratedTestDatabase } from '../../helpers/test-database.js';

/** The migrated test database, typed as the helper opens it. */
type TestDb = Awaited<ReturnType<typeof openMigratedTestDatabase>>['db'];

/** 2024-06-01 10:00 Beijing time. */
const NOW = Date.parse('2024-06-01T10:00:00+08:00');
const DAY = 86_400_000;
const pii = createPii(Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex'));
const ALLOWED = {
  result: 200,
  amount: 300_000_000,
  min_amount: 10_000_000,
  terms: [1, 2, 3, 4, 5, 6, 12],
  term_type: 2,
  loan_mode: 0,
};

let serial = 0;
/** A person born on `birth` (YYYY-MM-DD) with a valid ID number and a mobile nobody else has. */
function person(birth: string, name = '张三') {
  serial += 1;
  const first17 = `110105${birth.replaceAll('-', '')}${String(serial).padStart(3, '0')}`;
  const idCard = first17 + idCardCheckDigit(first17);
  const mobile = `1370000${String(serial).padStart(4, '0')}`;
  return { name, idCard, mobile };
}
type Person = ReturnType<typeof person>;

/** The marketplace's question about a person: masked mobile and ID, md5(mobile + ID). */
function asked(p: Person) {
  return {
    user_name: p.name,
    user_phone: `${p.mobile.slice(0, 8)}***`,
    user_idcard: `${p.idCard.slice(0, 14)}****`,
    md5: platformMd5(p.mobile, p.idCard),
  };
}

describe('checkAdmission', () => {
  let db: TestDb;
  let close: () => Promise<void>;
  before(async () => {
    ({ db, close } = await openMigratedTestDatabase());
  });
  after(() => close());
  const check = (args: Record<string, unknown>, now = NOW) =>
    checkAdmission({ db: db.kysely, pii }, args, now);

  /** An order of ours in which `p` is the borrower. */
  async function orderOf(
    p: Person,
    order: {
      state: 'open' | 'stopped' | 'approved';
      createdAt: number;
      updatedAt: number;
      loanLimit?: number;
      badRecord?: number;
    },
  ) {
    serial += 1;
    const inserted = await db.kysely
      .insertInto('loan_orders')
      .values({
        son_order_id: `2401010000${String(serial).padStart(3, '0')}`,
        order_type: 1,
        city: '北京市',
        stage: 'mianqian',
        state: order.state,
        desk: order.state === 'open' ? 'mianqian' : null,
        bohui_stage: null,
        agent_id: null,
        loan_limit: order.loanLimit ?? null,
        bad_record: order.badRecord ?? 0,
        created_at: order.createdAt,
        updated_at: order.updatedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.kysely
      .insertInto('loan_order_people')
      .values({
        order_id: Number(inserted.id),
        role: 'customer',
        name: p.name,
        ...sealPerson(pii, p.mobile, p.idCard),
        domicile: null,
        unit: null,
        is_execute: 2,
        unit_is_execute: 2,
      })
      .execute();
  }

  it('admits a person of 22 and of 60 with the default product', async () => {
    assert.equal(DEFAULT_RULES.min_age, 22);
    assert.equal(DEFAULT_RULES.max_age, 60);
    assert.deepEqual(await check(asked(person('2002-06-01'))), ALLOWED, '22 today');
    assert.deepEqual(await check(asked(person('1963-06-02'))), ALLOWED, '60, turning 61 tomorrow');
  });

  it('refuses a person of 21 with the day they turn 22, and one of 61 with no day (301)', async () => {
    assert.deepEqual(await check(asked(person('2002-06-02'))), {
      result: 301,
      can_loan_time: '2024-06-02',
      remark: '用户年龄未满可借年龄',
    });
    assert.deepEqual(await check(asked(person('1963-06-01'))), {
      result: 301,
      can_loan_time: '',
      remark: '用户年龄超过可借年龄',
    });
  });

  it('names a real day for a 29 February birthday: the day ageOn first answers 22, 2026-03-01', async () => {
    assert.deepEqual(await check(asked(person('2004-02-29'))), {
      result: 301,
      can_loan_time: '2026-03-01',
      remark: '用户年龄未满可借年龄',
    });
  });

  it('reckons age on the Beijing date: at 16:00 UTC the day before, a birthday tomorrow in UTC is today', async () => {
    const lateUtc = Date.parse('2024-06-01T16:00:00Z'); // 2024-06-02 00:00 in Beijing
    assert.deepEqual(await check(asked(person('2002-06-02')), lateUtc), ALLOWED);
  });

  it('answers by age without needing the md5', async () => {
    const { md5: _, ...noMd5 } = asked(person('2002-06-02'));
    assert.equal((await check(noMd5)).result, 301);
    const { md5: __, ...adult } = asked(person('1990-01-01'));
    assert.deepEqual(await check(adult), ALLOWED);
  });

  it('refuses a borrower with an unfinished loan until its last term ends (401)', async () => {
    const p = person('1990-01-01');
    await orderOf(p, {
      state: 'open',
      createdAt: Date.parse('2024-05-15T09:00:00+08:00'),
      updatedAt: NOW,
      loanLimit: 3,
    });
    await orderOf(p, {
      state: 'open',
      createdAt: Date.parse('2024-04-20T09:00:00+08:00'),
      updatedAt: NOW,
      loanLimit: 6,
    });
    assert.deepEqual(await check(asked(p)), { result: 401, can_loan_time: '2024-10-20' });
  });

  it('refuses a borrower with a bad record (402), even when the order is finished', async () => {
    const p = person('1990-01-01');
    await orderOf(p, {
      state: 'approved',
      createdAt: NOW - 400 * DAY,
      updatedAt: NOW - 300 * DAY,
      loanLimit: 6,
      badRecord: 1,
    });
    assert.deepEqual(await check(asked(p)), {
      result: 402,
      can_loan_time: '',
      remark: '用户在机构有不良借款记录',
    });
  });

  it('refuses a blacklisted person we never lent to, by the md5 (403)', async () => {
    const p = person('1988-08-08');
    await db.kysely
      .insertInto('partner_blacklist')
      .values({
        id_card_hash: pii.blindIndex(p.idCard, 'id_card'),
        md5_hash: personMatchHash(pii, platformMd5(p.mobile, p.idCard)),
        reason: '测试',
        created_at: NOW,
      })
      .execute();
    assert.deepEqual(await check(asked(p)), {
      result: 403,
      can_loan_time: '',
      remark: '该用户是征信系统黑名单用户',
    });
    assert.deepEqual(
      await check({ ...asked(p), md5: platformMd5(p.mobile, p.idCard).toUpperCase() }),
      { result: 403, can_loan_time: '', remark: '该用户是征信系统黑名单用户' },
      'the md5 in upper case is the same person',
    );
  });

  it('checks age before anything else: a blacklisted 21-year-old is answered 301', async () => {
    const p = person('2002-06-05');
    await db.kysely
      .insertInto('partner_blacklist')
      .values({
        id_card_hash: pii.blindIndex(p.idCard, 'id_card'),
        md5_hash: personMatchHash(pii, platformMd5(p.mobile, p.idCard)),
        reason: '测试',
        created_at: NOW,
      })
      .execute();
    assert.deepEqual(await check(asked(p)), {
      result: 301,
      can_loan_time: '2024-06-05',
      remark: '用户年龄未满可借年龄',
    });
  });

  it('refuses for 30 days after a stop (505): one millisecond short is refused, the 30th day is free', async () => {
    const recent = person('1990-01-01');
    await orderOf(recent, {
      state: 'stopped',
      createdAt: NOW - 40 * DAY,
      updatedAt: NOW - 30 * DAY + 1,
      loanLimit: 6,
    });
    assert.deepEqual(await check(asked(recent)), {
      result: 505,
      can_loan_time: '2024-06-01',
      remark: '您之前的借款订单未通过审核，2024年06月01日可再次申请。',
    });
    const past = person('1990-01-01');
    await orderOf(past, {
      state: 'stopped',
      createdAt: NOW - 40 * DAY,
      updatedAt: NOW - 30 * DAY,
      loanLimit: 6,
    });
    assert.deepEqual(await check(asked(past)), ALLOWED);
    const yesterday = person('1990-01-01');
    await orderOf(yesterday, {
      state: 'stopped',
      createdAt: NOW - 2 * DAY,
      updatedAt: NOW - DAY,
      loanLimit: 6,
    });
    assert.deepEqual(await check(asked(yesterday)), {
      result: 505,
      can_loan_time: '2024-06-30',
      remark: '您之前的借款订单未通过审核，2024年06月30日可再次申请。',
    });
  });

  it('counts from the latest stop and ignores approved orders', async () => {
    const p = person('1990-01-01');
    await orderOf(p, {
      state: 'stopped',
      createdAt: NOW - 100 * DAY,
      updatedAt: NOW - 90 * DAY,
      loanLimit: 6,
    });
    await orderOf(p, {
      state: 'approved',
      createdAt: NOW - 60 * DAY,
      updatedAt: NOW - 50 * DAY,
      loanLimit: 1,
    });
    await orderOf(p, {
      state: 'stopped',
      createdAt: NOW - 20 * DAY,
      updatedAt: NOW - 10 * DAY,
      loanLimit: 6,
    });
    assert.deepEqual(await check(asked(p)), {
      result: 505,
      can_loan_time: '2024-06-21',
      remark: '您之前的借款订单未通过审核，2024年06月21日可再次申请。',
    });
  });

  it('does not match a person whose visible name or digits differ from ours: near-misses are nobody', async () => {
    const p = person('1990-01-01');
    await orderOf(p, { state: 'open', createdAt: NOW - DAY, updatedAt: NOW, loanLimit: 3 });
    assert.equal((await check(asked(p))).result, 401);
    assert.deepEqual(await check({ ...asked(p), user_name: '张四' }), ALLOWED);
    const otherPhone = `${p.mobile.slice(0, 7)}${(Number(p.mobile[7]) + 1) % 10}***`;
    assert.deepEqual(await check({ ...asked(p), user_phone: otherPhone }), ALLOWED);
  });

  it('validates the masked fields, naming each', async () => {
    const p = asked(person('1990-01-01'));
    const fields = async (args: Record<string, unknown>) => {
      const error = await rejectedDomainError(() => check(args));
      assert.equal(error.code, 'validation');
      return error.fields;
    };
    assert.deepEqual(await fields({}), [
      { field: 'user_name', error: '用户姓名不能为空' },
      { field: 'user_phone', error: '用户手机号不能为空' },
      { field: 'user_idcard', error: '用户身份证号码不能为空' },
    ]);
    assert.deepEqual(await fields({ ...p, user_phone: '13700001234' }), [
      { field: 'user_phone', error: '用户手机号须为掩后3位的手机号' },
    ]);
    assert.deepEqual(await fields({ ...p, user_phone: '12700001***' }), [
      { field: 'user_phone', error: '用户手机号须为掩后3位的手机号' },
    ]);
    assert.deepEqual(await fields({ ...p, user_idcard: '11010519900101001X' }), [
      { field: 'user_idcard', error: '用户身份证号码须为掩后4位的身份证号' },
    ]);
    assert.deepEqual(await fields({ ...p, user_idcard: '11010519900230****' }), [
      { field: 'user_idcard', error: '用户身份证号码出生日期不正确' },
    ]);
    assert.deepEqual(await fields({ ...p, user_idcard: '11010520240602****' }), [
      { field: 'user_idcard', error: '用户身份证号码出生日期不正确' },
    ]);
    assert.deepEqual(await fields({ ...p, md5: 'z'.repeat(32) }), [
      { field: 'md5', error: 'md5须为32位十六进制' },
    ]);
    assert.deepEqual(await fields({ ...p, md5: 'a'.repeat(31) }), [
      { field: 'md5', error: 'md5须为32位十六进制' },
    ]);
  });
});

describe('admission rules', () => {
  let db: TestDb;
  let close: () => Promise<void>;
  before(async () => {
    ({ db, close } = await openMigratedTestDatabase());
  });
  after(() => close());
  const rules = {
    min_age: 21,
    max_age: 55,
    refuse_days: 7,
    allow_rebind: true,
    bind_sms: false,
    product: { amount: 500_000, min_amount: 100_000, terms: [3, 6], term_type: 2, loan_mode: 1 },
  };
  const fields = async (input: Record<string, unknown>) => {
    const error = await rejectedDomainError(() => saveRules(db.kysely, input, NOW, 'admin'));
    assert.equal(error.code, 'validation');
    return error.fields;
  };

  it('are the defaults until saved', async () => {
    assert.deepEqual(await readRules(db.kysely), DEFAULT_RULES);
  });

  it('refuse bad values, naming product fields with their prefix', async () => {
    assert.deepEqual(await fields({ ...rules, min_age: 17 }), [
      { field: 'min_age', error: '最小年龄不能小于18' },
    ]);
    assert.deepEqual(await fields({ ...rules, max_age: 101 }), [
      { field: 'max_age', error: '最大年龄不能大于100' },
    ]);
    assert.deepEqual(await fields({ ...rules, min_age: 30, max_age: 29 }), [
      { field: 'max_age', error: '最大年龄不能小于最小年龄' },
    ]);
    assert.deepEqual(await fields({ ...rules, refuse_days: 3651 }), [
      { field: 'refuse_days', error: '拒绝后等待天数不能大于3650' },
    ]);
    assert.deepEqual(await fields({ ...rules, product: { ...rules.product, min_amount: 500_001 } }), [
      { field: 'product.min_amount', error: '最小额度不能大于最大额度' },
    ]);
    assert.deepEqual(await fields({ ...rules, product: { ...rules.product, terms: [3, 0] } }), [
      { field: 'product.terms', error: '期限须为正整数数组' },
    ]);
    assert.deepEqual(await fields({ ...rules, product: { ...rules.product, terms: [] } }), [
      { field: 'product.terms', error: '期限须为正整数数组' },
    ]);
    assert.deepEqual(await fields({ ...rules, product: { ...rules.product, term_type: 4 } }), [
      { field: 'product.term_type', error: '期限单位不在可选范围内' },
    ]);
    assert.deepEqual(await readRules(db.kysely), DEFAULT_RULES, 'nothing refused was saved');
  });

  it('take effect at once, with an audit record, and move the age edges', async () => {
    assert.deepEqual(await saveRules(db.kysely, { ...rules, min_age: 30, max_age: 30 }, NOW, 'admin'), {
      ...rules,
      min_age: 30,
      max_age: 30,
    });
    const saved = await saveRules(db.kysely, rules, NOW, 'admin');
    assert.deepEqual(saved, rules);
    assert.deepEqual(await readRules(db.kysely), rules);
    const audits = await db.kysely
      .selectFrom('audit_log')
      .select(['actor', 'entity', 'entity_id', 'action', 'to_state'])
      .where('entity', '=', 'partner_rules')
      .orderBy('id')
      .execute();
    assert.equal(audits.length, 2);
    assert.deepEqual(audits[1], {
      actor: 'admin',
      entity: 'partner_rules',
      entity_id: 'admission',
      action: 'update',
      to_state: JSON.stringify(rules),
    });
    const check = (birth: string) =>
      checkAdmission({ db: db.kysely, pii }, asked(person(birth)), NOW) as Promise<Record<string, unknown>>;
    const admitted = {
      result: 200,
      amount: 500_000,
      min_amount: 100_000,
      terms: [3, 6],
      term_type: 2,
      loan_mode: 1,
    };
    assert.deepEqual(await check('2003-06-01'), admitted, '21 today');
    assert.deepEqual(await check('2003-06-02'), {
      result: 301,
      can_loan_time: '2024-06-02',
      remark: '用户年龄未满可借年龄',
    });
    assert.deepEqual(await check('1968-06-02'), admitted, '55');
    assert.deepEqual(await check('1968-06-01'), {
      result: 301,
      can_loan_time: '',
      remark: '用户年龄超过可借年龄',
    });
  });

  it('default allow_rebind to false and bind_sms to true unless given as booleans', async () => {
    const saved = await saveRules(
      db.kysely,
      { ...rules, allow_rebind: 'true', bind_sms: 'false' },
      NOW,
      'admin',
    );
    assert.equal(saved.allow_rebind, false);
    assert.equal(saved.bind_sms, true);
  });
});
