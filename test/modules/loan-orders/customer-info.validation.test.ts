import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { idCardCheckDigit } from '../../../src/core/id-card.js';
import { readCustomerInfo } from '../../../src/modules/loan-orders/customer-info.validation.js';
import { onlyValidationError, thrownDomainError, validationErrors } from '../../helpers/domain-errors.js';

/** 2024-06-01 10:00 Beijing time. */
const NOW = Date.parse('2024-06-01T10:00:00+08:00');
const id = (first17: string) => first17 + idCardCheckDigit(first17);
/** Born 1990-01-01, 17th digit 1: a man of 34 on NOW. */
const CUSTOMER_ID = id('11010519900101001');
/** Born 1991-03-15, 17th digit 2: a woman of 33. */
const SPOUSE_ID = id('31010119910315002');
/** Born 1985-12-01, 17th digit 3: a man of 38. */
const COBORROWER_ID = id('44030119851201003');

const customer = {
  name: '张三',
  mobile: '13812345678',
  id_card: CUSTOMER_ID,
  is_execute: '2',
  unit_is_execute: '2',
};
const spouse = {
  link_name: '李四',
  link_mobile: '13912345678',
  link_id_card: SPOUSE_ID,
  link_is_execute: '2',
  link_unit_is_execute: '2',
};
const coborrower = {
  link2_name: '王五',
  link2_mobile: '13712345678',
  link2_id_card: COBORROWER_ID,
  link2_is_execute: '1',
  link2_unit_is_execute: '2',
};
const single = { ...customer, marital_tatus: '0', gongjie_status: '0' };
const married = { ...customer, ...spouse, marital_tatus: '1', marry_date: '2015-05-20', gongjie_status: '0' };

describe('readCustomerInfo', () => {
  it('reads an unmarried borrower alone, with the ID number parsed and absent optionals as null', () => {
    assert.deepEqual(readCustomerInfo(single, NOW), {
      people: [
        {
          role: 'customer',
          name: '张三',
          mobile: '13812345678',
          idCard: { number: CUSTOMER_ID, birthDate: '1990-01-01', sex: 1 },
          domicile: null,
          unit: null,
          is_execute: 2,
          unit_is_execute: 2,
        },
      ],
      marital_tatus: 0,
      marry_date: null,
      lihun_date: null,
      month_income: null,
      address: null,
      second_address: null,
      emergency_contact: null,
      emergency_mobile: null,
      emergency_relationship: null,
      property2_owner: null,
      common_proportion: null,
      gongjie_status: 0,
    });
  });

  it('reads a married borrower with spouse and co-borrower in that order, money in fen, mobiles normalised', () => {
    const info = readCustomerInfo(
      {
        ...married,
        ...coborrower,
        gongjie_status: 1,
        month_income: '12345.67',
        emergency_mobile: '+86 13612345678',
        emergency_contact: '赵六',
      },
      NOW,
    );
    assert.deepEqual(
      info.people.map((p) => [p.role, p.name, p.idCard.birthDate, p.idCard.sex, p.is_execute]),
      [
        ['customer', '张三', '1990-01-01', 1, 2],
        ['spouse', '李四', '1991-03-15', 2, 2],
        ['coborrower', '王五', '1985-12-01', 1, 1],
      ],
    );
    assert.equal(info.marry_date, '2015-05-20');
    assert.equal(info.month_income, 1_234_567);
    assert.equal(info.emergency_mobile, '13612345678');
    assert.equal(info.emergency_contact, '赵六');
    assert.equal(info.gongjie_status, 1);
  });

  it('lists every missing required field of the borrower with its Chinese label', () => {
    const error = thrownDomainError(() => readCustomerInfo({}, NOW));
    assert.equal(error.code, 'validation');
    assert.deepEqual(error.fields, [
      { field: 'name', error: '客户姓名不能为空' },
      { field: 'mobile', error: '手机号不能为空' },
      { field: 'id_card', error: '身份证号不能为空' },
      { field: 'is_execute', error: '是否被执行不能为空' },
      { field: 'unit_is_execute', error: '单位是否被执行不能为空' },
      { field: 'marital_tatus', error: '婚姻状况不能为空' },
      { field: 'gongjie_status', error: '共借状况不能为空' },
    ]);
    assert.equal(error.message, '客户姓名不能为空等7项错误');
  });

  it('bounds the name to 2–30 characters, counted as characters not bytes', () => {
    assert.deepEqual(
      onlyValidationError(() => readCustomerInfo({ ...single, name: '张' }, NOW)),
      {
        field: 'name',
        error: '客户姓名不能少于2个字符',
      },
    );
    assert.equal(
      readCustomerInfo({ ...single, name: '张'.repeat(30) }, NOW).people[0]!.name,
      '张'.repeat(30),
    );
    assert.deepEqual(
      onlyValidationError(() => readCustomerInfo({ ...single, name: '张'.repeat(31) }, NOW)),
      {
        field: 'name',
        error: '客户姓名不能超过30个字符',
      },
    );
  });

  it('accepts an age that agrees with the ID number on the Beijing date and refuses one that does not', () => {
    assert.equal(readCustomerInfo({ ...single, age: '34' }, NOW).people.length, 1);
    assert.deepEqual(
      onlyValidationError(() => readCustomerInfo({ ...single, age: '33' }, NOW)),
      {
        field: 'age',
        error: '年龄与身份证号不符',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => readCustomerInfo({ ...single, age: '35' }, NOW)),
      {
        field: 'age',
        error: '年龄与身份证号不符',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => readCustomerInfo({ ...single, age: '151' }, NOW)),
      {
        field: 'age',
        error: '年龄不能大于150',
      },
    );
  });

  it('reads sex as 1/2 or 男/女 and requires it to agree with the 17th digit', () => {
    assert.equal(readCustomerInfo({ ...single, sex: '男' }, NOW).people.length, 1);
    assert.equal(readCustomerInfo({ ...single, sex: '1' }, NOW).people.length, 1);
    assert.deepEqual(
      onlyValidationError(() => readCustomerInfo({ ...single, sex: '女' }, NOW)),
      {
        field: 'sex',
        error: '性别与身份证号不符',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => readCustomerInfo({ ...single, sex: '2' }, NOW)),
      {
        field: 'sex',
        error: '性别与身份证号不符',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => readCustomerInfo({ ...single, sex: '3' }, NOW)),
      {
        field: 'sex',
        error: '性别须为1(男)或2(女)',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => readCustomerInfo({ ...married, link_sex: '男' }, NOW)),
      { field: 'link_sex', error: '配偶性别与身份证号不符' },
      'the spouse is checked against her own ID number',
    );
  });

  it('names the ID problem in the field message', () => {
    const wrongCheck = CUSTOMER_ID.slice(0, 17) + (CUSTOMER_ID[17] === '0' ? '1' : '0');
    assert.deepEqual(
      onlyValidationError(() => readCustomerInfo({ ...single, id_card: wrongCheck }, NOW)),
      {
        field: 'id_card',
        error: '身份证号校验位不正确',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => readCustomerInfo({ ...single, id_card: id('99010519900101001') }, NOW)),
      { field: 'id_card', error: '身份证号地区码不正确' },
    );
    assert.deepEqual(
      onlyValidationError(() => readCustomerInfo({ ...single, is_execute: '3' }, NOW)),
      {
        field: 'is_execute',
        error: '是否被执行不在可选范围内',
      },
    );
  });

  it('requires the marriage date and the spouse when married', () => {
    const { marry_date: _, ...noDate } = married;
    assert.deepEqual(
      onlyValidationError(() => readCustomerInfo(noDate, NOW)),
      {
        field: 'marry_date',
        error: '结婚日期不能为空',
      },
    );
    assert.deepEqual(
      validationErrors(() =>
        readCustomerInfo(
          { ...customer, marital_tatus: '1', marry_date: '2015-05-20', gongjie_status: '0' },
          NOW,
        ),
      ),
      [
        { field: 'link_name', error: '配偶姓名不能为空' },
        { field: 'link_mobile', error: '配偶手机号不能为空' },
        { field: 'link_id_card', error: '配偶身份证号码不能为空' },
        { field: 'link_is_execute', error: '配偶是否被执行不能为空' },
        { field: 'link_unit_is_execute', error: '配偶单位是否被执行不能为空' },
      ],
    );
  });

  it('refuses a marriage date after today (Beijing) or before the borrower was born; both edges pass', () => {
    assert.equal(readCustomerInfo({ ...married, marry_date: '2024-06-01' }, NOW).marry_date, '2024-06-01');
    assert.deepEqual(
      onlyValidationError(() => readCustomerInfo({ ...married, marry_date: '2024-06-02' }, NOW)),
      {
        field: 'marry_date',
        error: '结婚日期不能晚于今天',
      },
    );
    assert.equal(readCustomerInfo({ ...married, marry_date: '1990-01-01' }, NOW).marry_date, '1990-01-01');
    assert.deepEqual(
      onlyValidationError(() => readCustomerInfo({ ...married, marry_date: '1989-12-31' }, NOW)),
      {
        field: 'marry_date',
        error: '结婚日期不能早于客户出生日期',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => readCustomerInfo({ ...married, marry_date: '2015-02-30' }, NOW)),
      {
        field: 'marry_date',
        error: '结婚日期不是有效日期(YYYY-MM-DD)',
      },
    );
  });

  it('requires the divorce date when divorced, not before the marriage; the same day passes', () => {
    const divorced = { ...single, marital_tatus: '2', marry_date: '2015-05-20' };
    assert.deepEqual(
      onlyValidationError(() => readCustomerInfo(divorced, NOW)),
      {
        field: 'lihun_date',
        error: '离婚日期不能为空',
      },
    );
    const same = readCustomerInfo({ ...divorced, lihun_date: '2015-05-20' }, NOW);
    assert.deepEqual([same.marry_date, same.lihun_date, same.people.length], ['2015-05-20', '2015-05-20', 1]);
    assert.deepEqual(
      onlyValidationError(() => readCustomerInfo({ ...divorced, lihun_date: '2015-05-19' }, NOW)),
      {
        field: 'lihun_date',
        error: '离婚日期不能早于结婚日期',
      },
    );
    const noMarryDate = readCustomerInfo({ ...single, marital_tatus: '2', lihun_date: '2020-01-01' }, NOW);
    assert.deepEqual([noMarryDate.marry_date, noMarryDate.lihun_date], [null, '2020-01-01']);
  });

  it('drops the dates and spouse that do not apply to the status instead of storing them', () => {
    const unmarried = readCustomerInfo(
      { ...single, ...spouse, marry_date: '2015-05-20', lihun_date: '2016-01-01' },
      NOW,
    );
    assert.deepEqual([unmarried.people.length, unmarried.marry_date, unmarried.lihun_date], [1, null, null]);
    const widowed = readCustomerInfo(
      { ...single, ...spouse, marital_tatus: '3', marry_date: '2015-05-20', lihun_date: '2016-01-01' },
      NOW,
    );
    assert.deepEqual(
      [widowed.people.length, widowed.marry_date, widowed.lihun_date],
      [1, '2015-05-20', null],
    );
    const married2 = readCustomerInfo({ ...married, lihun_date: '2016-01-01' }, NOW);
    assert.equal(married2.lihun_date, null);
    const noCo = readCustomerInfo({ ...single, ...coborrower, gongjie_status: '0' }, NOW);
    assert.equal(noCo.people.length, 1);
    assert.deepEqual(
      onlyValidationError(() => readCustomerInfo({ ...single, marital_tatus: '4' }, NOW)),
      {
        field: 'marital_tatus',
        error: '婚姻状况不在可选范围内',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => readCustomerInfo({ ...single, gongjie_status: '2' }, NOW)),
      {
        field: 'gongjie_status',
        error: '共借状况不在可选范围内',
      },
    );
  });

  it('requires the co-borrower when 共借 is 1', () => {
    assert.deepEqual(
      validationErrors(() => readCustomerInfo({ ...single, gongjie_status: '1' }, NOW)),
      [
        { field: 'link2_name', error: '共借人姓名不能为空' },
        { field: 'link2_mobile', error: '共借人手机号不能为空' },
        { field: 'link2_id_card', error: '共借人身份证号不能为空' },
        { field: 'link2_is_execute', error: '共借人是否被执行不能为空' },
        { field: 'link2_unit_is_execute', error: '共借人单位是否被执行不能为空' },
      ],
    );
  });

  it('refuses one ID number for two people, naming the later field and the earlier one', () => {
    assert.deepEqual(
      onlyValidationError(() => readCustomerInfo({ ...married, link_id_card: CUSTOMER_ID }, NOW)),
      {
        field: 'link_id_card',
        error: '配偶身份证号码不能与身份证号相同',
      },
    );
    assert.deepEqual(
      onlyValidationError(() =>
        readCustomerInfo({ ...married, ...coborrower, gongjie_status: '1', link2_id_card: SPOUSE_ID }, NOW),
      ),
      { field: 'link2_id_card', error: '共借人身份证号不能与配偶身份证号码相同' },
    );
    assert.deepEqual(
      onlyValidationError(() =>
        readCustomerInfo(
          { ...single, ...coborrower, gongjie_status: '1', link2_id_card: CUSTOMER_ID.toLowerCase() },
          NOW,
        ),
      ),
      { field: 'link2_id_card', error: '共借人身份证号不能与身份证号相同' },
      'a lowercase x is the same number',
    );
  });

  it('bounds the optional text fields and money', () => {
    assert.deepEqual(
      onlyValidationError(() => readCustomerInfo({ ...single, address: 'a'.repeat(201) }, NOW)),
      {
        field: 'address',
        error: '现住址不能超过200个字符',
      },
    );
    assert.equal(readCustomerInfo({ ...single, address: 'a'.repeat(200) }, NOW).address, 'a'.repeat(200));
    assert.deepEqual(
      onlyValidationError(() => readCustomerInfo({ ...single, month_income: '-1' }, NOW)),
      {
        field: 'month_income',
        error: '月收入不能为负数',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => readCustomerInfo({ ...single, month_income: '1.234' }, NOW)),
      {
        field: 'month_income',
        error: '月收入最多保留2位小数',
      },
    );
    assert.equal(readCustomerInfo({ ...single, month_income: '0' }, NOW).month_income, 0);
    assert.deepEqual(
      onlyValidationError(() => readCustomerInfo({ ...single, emergency_mobile: '12812345678' }, NOW)),
      {
        field: 'emergency_mobile',
        error: '紧急联系人手机号不是有效的手机号码',
      },
    );
  });
});
