import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readBorrowInfo } from '../../../src/modules/loan-orders/borrow-info.validation.js';
import { onlyValidationError, validationErrors } from '../../helpers/domain-errors.js';

const beijingAgentOrder = { city: '北京市', hasAgent: true } as const;
const beijingDirectOrder = { city: '北京市', hasAgent: false } as const;
const shanghaiAgentOrder = { city: '上海市', hasAgent: true } as const;
/** Product 1 (北京-5成) is priced by an agreed rate. */
const beijing = {
  user_realname: '王中介',
  loan_money: '150.5',
  loan_limit: '6',
  production_no: '1',
  yueding_lilv: '1.2345',
};
/** Product 5 (上海-服务费) is priced by a service fee. */
const shanghai = {
  user_realname: '王中介',
  loan_money: '80',
  loan_limit: '12',
  production_no: '5',
  service_fee: '2.5',
};

describe('readBorrowInfo', () => {
  it('reads 万元 as fen and percent as × 10⁴, keeping only the figure the product is priced by', () => {
    assert.deepEqual(readBorrowInfo({ ...beijing, service_fee: '3' }, beijingAgentOrder), {
      user_realname: '王中介',
      loan_money: 150_500_000,
      loan_limit: 6,
      production_no: 1,
      yueding_lilv: 12_345,
      service_fee: null,
    });
    assert.deepEqual(readBorrowInfo({ ...shanghai, yueding_lilv: '1' }, shanghaiAgentOrder), {
      user_realname: '王中介',
      loan_money: 80_000_000,
      loan_limit: 12,
      production_no: 5,
      yueding_lilv: null,
      service_fee: 25_000,
    });
  });

  it('requires the agent name on an agent order and refuses it on a direct one', () => {
    const { user_realname: _, ...noAgent } = beijing;
    assert.deepEqual(
      onlyValidationError(() => readBorrowInfo(noAgent, beijingAgentOrder)),
      {
        field: 'user_realname',
        error: '中介姓名不能为空',
      },
    );
    assert.equal(readBorrowInfo(noAgent, beijingDirectOrder).user_realname, undefined);
    assert.deepEqual(
      onlyValidationError(() => readBorrowInfo(beijing, beijingDirectOrder)),
      {
        field: 'user_realname',
        error: '直户订单没有中介，不能填写中介姓名',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => readBorrowInfo({ ...beijing, user_realname: '王' }, beijingAgentOrder)),
      {
        field: 'user_realname',
        error: '中介姓名不能少于2个字符',
      },
    );
    assert.deepEqual(
      onlyValidationError(() =>
        readBorrowInfo({ ...beijing, user_realname: '王'.repeat(21) }, beijingAgentOrder),
      ),
      { field: 'user_realname', error: '中介姓名不能超过20个字符' },
    );
  });

  it('caps the loan at 99999.99 万元 and refuses zero', () => {
    assert.equal(
      readBorrowInfo({ ...beijing, loan_money: '99999.99' }, beijingAgentOrder).loan_money,
      99_999_990_000,
    );
    assert.deepEqual(
      onlyValidationError(() => readBorrowInfo({ ...beijing, loan_money: '100000' }, beijingAgentOrder)),
      {
        field: 'loan_money',
        error: '借款金额不能超过99999.99万元',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => readBorrowInfo({ ...beijing, loan_money: '0' }, beijingAgentOrder)),
      {
        field: 'loan_money',
        error: '借款金额必须大于0',
      },
    );
    assert.equal(readBorrowInfo({ ...beijing, loan_money: '0.01' }, beijingAgentOrder).loan_money, 10_000);
    assert.deepEqual(
      onlyValidationError(() => readBorrowInfo({ ...beijing, loan_money: '1.001' }, beijingAgentOrder)),
      {
        field: 'loan_money',
        error: '借款金额最多保留2位小数',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => readBorrowInfo({ ...beijing, loan_money: '十万' }, beijingAgentOrder)),
      {
        field: 'loan_money',
        error: '借款金额必须是数字',
      },
    );
  });

  it('offers the terms 1–6 and 12 months only', () => {
    for (const term of ['1', '5', '6', '12']) {
      assert.equal(
        readBorrowInfo({ ...beijing, loan_limit: term }, beijingAgentOrder).loan_limit,
        Number(term),
      );
    }
    for (const term of ['0', '7', '24']) {
      assert.deepEqual(
        onlyValidationError(() => readBorrowInfo({ ...beijing, loan_limit: term }, beijingAgentOrder)),
        {
          field: 'loan_limit',
          error: '借款期限不在可选范围内',
        },
      );
    }
  });

  it("refuses another city's product and an unknown one", () => {
    assert.deepEqual(
      onlyValidationError(() => readBorrowInfo(shanghai, beijingAgentOrder)),
      {
        field: 'production_no',
        error: '产品类型不适用于北京市的订单',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => readBorrowInfo(beijing, shanghaiAgentOrder)),
      {
        field: 'production_no',
        error: '产品类型不适用于上海市的订单',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => readBorrowInfo({ ...beijing, production_no: '6' }, beijingAgentOrder)),
      {
        field: 'production_no',
        error: '产品类型不在可选范围内',
      },
    );
  });

  it('requires the priced figure, above 0, at most 100% with 4 decimals', () => {
    const { yueding_lilv: _, ...noRate } = beijing;
    assert.deepEqual(
      onlyValidationError(() => readBorrowInfo(noRate, beijingAgentOrder)),
      {
        field: 'yueding_lilv',
        error: '约定利率不能为空',
      },
    );
    const { service_fee: __, ...noFee } = shanghai;
    assert.deepEqual(
      onlyValidationError(() => readBorrowInfo(noFee, shanghaiAgentOrder)),
      {
        field: 'service_fee',
        error: '服务费不能为空',
      },
    );
    assert.equal(
      readBorrowInfo({ ...beijing, yueding_lilv: '100' }, beijingAgentOrder).yueding_lilv,
      1_000_000,
    );
    assert.deepEqual(
      onlyValidationError(() => readBorrowInfo({ ...beijing, yueding_lilv: '100.0001' }, beijingAgentOrder)),
      {
        field: 'yueding_lilv',
        error: '约定利率超出允许范围',
      },
    );
    assert.equal(readBorrowInfo({ ...beijing, yueding_lilv: '0.0001' }, beijingAgentOrder).yueding_lilv, 1);
    assert.deepEqual(
      onlyValidationError(() => readBorrowInfo({ ...beijing, yueding_lilv: '0' }, beijingAgentOrder)),
      {
        field: 'yueding_lilv',
        error: '约定利率必须大于0',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => readBorrowInfo({ ...beijing, yueding_lilv: '1.23456' }, beijingAgentOrder)),
      {
        field: 'yueding_lilv',
        error: '约定利率最多保留4位小数',
      },
    );
  });

  it('lists every missing field at once', () => {
    assert.deepEqual(
      validationErrors(() => readBorrowInfo({}, beijingAgentOrder)),
      [
        { field: 'user_realname', error: '中介姓名不能为空' },
        { field: 'loan_money', error: '借款金额不能为空' },
        { field: 'loan_limit', error: '借款期限不能为空' },
        { field: 'production_no', error: '产品类型不能为空' },
      ],
    );
  });
});
