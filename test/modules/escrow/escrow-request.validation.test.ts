import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readEscrowRequest } from '../../../src/modules/escrow/escrow-request.validation.js';
import { onlyValidationError, validationErrors } from '../../helpers/domain-errors.js';
import { cardNumber, createRequest, idNumber } from './escrow-fixtures.js';

const NOW = Date.parse('2024-06-01T10:00:00+08:00');
const read = (input: Record<string, unknown>) => readEscrowRequest(input, NOW);
const errorsOf = (input: Record<string, unknown>) =>
  Object.fromEntries(validationErrors(() => read(input)).map((e) => [e.field, e.error]));

describe('escrow CREATE validation', () => {
  it('accepts a complete request and answers it normalized', () => {
    const terms = read(createRequest(1, { sign_over_time_hour: undefined }));
    assert.equal(terms.sign_over_time_hour, 24);
    assert.equal(terms.buyer_infos[0]!.card_no, idNumber(11));
    assert.deepEqual(terms.house_contract_infos[0]!.depository_amount_types, ['deposit_pay']);
  });

  it('reports every missing 发起邀约必填 field at once, in Chinese', () => {
    assert.deepEqual(errorsOf({ operate_type: 'CREATE' }), {
      source: '来源不能为空',
      source_no: '案件号不能为空',
      item_id: '服务商品ID不能为空',
      buyer_infos: '买家信息集合不能为空',
      landlord_infos: '房东信息集合不能为空',
      house_address: '房源地址不能为空',
      landlord_payee_card_no: '房东收款账号号主的身份证号不能为空',
      service_provider_name: '服务人姓名不能为空',
      service_provider_phone: '服务人手机号不能为空',
    });
  });

  it('checks each party by its path: name, cert_type 1, a real ID, a mobile, out_id', () => {
    const bad = idNumber(11).slice(0, 17) + (idNumber(11).endsWith('0') ? '1' : '0');
    const errors = errorsOf(
      createRequest(1, {
        buyer_infos: [
          { name: '', cert_type: 2, card_no: bad, phone: '12345', out_id: '' },
          { name: '赵六', cert_type: 1, card_no: '991234198501010011', phone: '13800000099', out_id: 'B2' },
        ],
        landlord_infos: [{ name: '李四', cert_type: 1, card_no: '1101', phone: '13800000098', out_id: 'L1' }],
      }),
    );
    assert.deepEqual(errors, {
      'buyer_infos[0].name': '买家1姓名不能为空',
      'buyer_infos[0].cert_type': '买家1证件类型仅支持1-身份证',
      'buyer_infos[0].card_no': '买家1证件号码校验位不正确',
      'buyer_infos[0].phone': '买家1手机号不是有效的手机号码',
      'buyer_infos[0].out_id': '买家1外部ID不能为空',
      'buyer_infos[1].card_no': '买家2证件号码地区码不正确',
      'landlord_infos[0].card_no': '房东1证件号码格式不正确',
    });
  });

  it('requires each party phone, refuses one person twice and non-objects in the lists', () => {
    const errors = errorsOf(
      createRequest(1, {
        buyer_infos: [{ name: '张三', cert_type: 1, card_no: idNumber(2), out_id: 'B1' }, 'x'],
        landlord_infos: [
          { name: '李四', cert_type: 1, card_no: idNumber(3), phone: '13800000001', out_id: 'L1' },
          { name: '李五', cert_type: 1, card_no: idNumber(3), phone: '13800000001', out_id: 'L2' },
        ],
      }),
    );
    assert.deepEqual(errors, {
      'buyer_infos[0].phone': '买家1手机号不能为空',
      'buyer_infos[1]': '买家2信息格式不正确',
      'landlord_infos[1].card_no': '房东2证件号码与其他参与方重复',
      'landlord_infos[1].phone': '房东2手机号与其他参与方重复',
    });
  });

  it('amounts are integer fen ≥ 0 and must add up to the deal price', () => {
    assert.deepEqual(errorsOf(createRequest(1, { deposit_amount: 10.5, first_pay_amount: -1 })), {
      deposit_amount: '定金金额必须是整数',
      first_pay_amount: '首付金额不能小于0',
    });
    assert.deepEqual(
      onlyValidationError(() => read(createRequest(1, { final_pay_amount: 1 }))),
      {
        field: 'house_deal_price',
        error: '定金金额、首付金额、贷款金额、尾款金额之和必须等于房成交总额',
      },
    );
    // Without a deal price nothing is summed.
    read(createRequest(1, { house_deal_price: undefined, final_pay_amount: 1 }));
  });

  it('service_type follows the loan', () => {
    assert.deepEqual(
      onlyValidationError(() => read(createRequest(1, { service_type: 'fundEscrow' }))),
      {
        field: 'loan_amount',
        error: '无贷款服务模版的贷款金额必须为0',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => read(createRequest(1, { loan_amount: 0, first_pay_amount: 90_000_000 }))),
      { field: 'loan_amount', error: '贷款服务模版的贷款金额必须大于0' },
    );
    assert.equal(
      read(createRequest(1, { service_type: undefined, loan_amount: 0, first_pay_amount: 90_000_000 }))
        .service_type,
      'fundEscrow',
    );
    assert.deepEqual(errorsOf(createRequest(1, { service_type: 'other' })), {
      service_type: '服务模板类型只能是fundEscrow或fundEscrow_mortgage',
    });
  });

  it('sign_over_time_hour, Y/N flags, the payee card and IDs, the provider phone', () => {
    assert.deepEqual(
      errorsOf(
        createRequest(1, {
          sign_over_time_hour: 12,
          has_mortgage: 'yes',
          has_lease: 'X',
          include_parking_space: 'y',
          house_contract_online_flag: '1',
          landlord_payee_bankcard_no: `${cardNumber().slice(0, -1)}${(Number(cardNumber().slice(-1)) + 1) % 10}`,
          landlord_payee_card_no: '110105198501010010',
          service_provider_phone: '23900000000',
          service_provider_card_no: 'abc',
          item_id: 'x',
          store_id: 0,
        }),
      ),
      {
        item_id: '服务商品ID必须是整数',
        store_id: '门店ID不能小于1',
        has_mortgage: '是否有抵押只能是Y或N',
        has_lease: '是否有租赁只能是Y或N',
        include_parking_space: '是否有车位只能是Y或N',
        house_contract_online_flag: '房款合同只能是Y或N',
        landlord_payee_bankcard_no: '房东收款账号不是有效的银行卡号',
        sign_over_time_hour: '签约超时时间不在可选范围内',
        landlord_payee_card_no: '房东收款账号号主的身份证号校验位不正确',
        service_provider_phone: '服务人手机号不是有效的手机号码',
        service_provider_card_no: '服务人身份证号格式不正确',
      },
    );
  });

  it('contracts: type, online flag, offline proof when offline, fund types from the list', () => {
    assert.deepEqual(
      errorsOf(
        createRequest(1, {
          house_contract_infos: [
            { contract_online_flag: 'N', contract_type: 'LEASE' },
            {
              contract_type: 'SALES',
              contract_online_flag: 'Y',
              depository_amount_types: ['down_pay', 'rent'],
            },
            {
              contract_type: 'SALES',
              contract_online_flag: 'Y',
              depository_amount_types: ['down_pay', 'down_pay'],
            },
          ],
        }),
      ),
      {
        'house_contract_infos[0].contract_type': '合同1合同类型只能是DEPOSIT或SALES',
        'house_contract_infos[0].offline_contract_pics': '合同1线下合同凭证不能为空',
        'house_contract_infos[0].offline_contract_no': '合同1线下合同不能为空',
        'house_contract_infos[1].depository_amount_types':
          '合同2使用资金存管协议的资金类型集合只能包含deposit_pay、down_pay、balance_pay',
        'house_contract_infos[2].depository_amount_types': '合同3使用资金存管协议的资金类型集合不能重复',
      },
    );
    const terms = read(
      createRequest(1, {
        house_contract_infos: [
          {
            contract_online_flag: 'N',
            contract_type: 'SALES',
            offline_contract_pics: 'https://x/1.jpg,https://x/2.jpg',
            offline_contract_no: 'HT-1',
            depository_amount_types: 'balance_pay,deposit_pay',
          },
        ],
      }),
    );
    assert.deepEqual(terms.house_contract_infos[0]!.depository_amount_types, ['deposit_pay', 'balance_pay']);
  });
});
