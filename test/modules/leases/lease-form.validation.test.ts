import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  LEASE_FIELD_LABELS,
  leaseMonths,
  readLeaseForm,
} from '../../../src/modules/leases/lease-form.validation.js';
import { onlyValidationError, validationErrors } from '../../helpers/domain-errors.js';

/** 2024-06-01 10:00 Beijing time. */
const NOW = Date.parse('2024-06-01T10:00:00+08:00');
/** A 6-month 长租整租 from 2024-06-10, as the app sends it. */
const form = {
  t_name: '张租客',
  t_phone: '13812345678',
  t_id_card: '11010519491231002X',
  h_address: '树海',
  r_s_time: '2024-06-10',
  r_e_time: '2024-12-10',
  p_time: '[{"start":"2024-06-10","end":"2024-12-10"}]',
  is_pay: '0',
  is_settle: '0',
  life: '{"water":100,"electric":200,"gas":90}',
  s_phone: '13725554033',
  facility: '[{"id":2,"name":"洗衣机","num":1,"cd":"完好"}]',
  h_i_id: '3',
  mode: '2',
  m_name: '测试账号袁',
  m_phone: '13725554033',
  m_s_phone: '15181474781',
  m_store: '内光华门店',
  other: '',
  people_num: '1',
};
const read = (patch: Record<string, unknown>) => readLeaseForm({ ...form, ...patch }, NOW);

describe('leaseMonths', () => {
  it('counts whole months, a started month counting whole', () => {
    assert.equal(leaseMonths('2024-06-01', '2024-11-30'), 6);
    assert.equal(leaseMonths('2024-06-01', '2024-12-01'), 6);
    assert.equal(leaseMonths('2024-06-01', '2024-12-02'), 7);
    assert.equal(leaseMonths('2024-06-10', '2024-06-11'), 1);
    assert.equal(leaseMonths('2024-06-10', '2024-07-10'), 1);
    assert.equal(leaseMonths('2024-06-10', '2024-07-09'), 1);
    assert.equal(leaseMonths('2024-11-15', '2025-02-15'), 3);
    assert.equal(leaseMonths('2024-01-31', '2024-02-29'), 1);
  });
});

describe('readLeaseForm', () => {
  it('reads the tenant, the dates, the months and keeps the rest as details', () => {
    assert.deepEqual(readLeaseForm(form, NOW), {
      t_name: '张租客',
      t_phone: '13812345678',
      t_id_card: { number: '11010519491231002X', birthDate: '1949-12-31', sex: 2 },
      h_address: '树海',
      r_s_time: '2024-06-10',
      r_e_time: '2024-12-10',
      h_i_id: 3,
      r_id: null,
      mode: 2,
      months: 6,
      details: {
        p_time: [{ start: '2024-06-10', end: '2024-12-10' }],
        is_pay: 0,
        is_settle: 0,
        life: { water: 100, electric: 200, gas: 90 },
        s_phone: '13725554033',
        facility: [{ id: 2, name: '洗衣机', num: 1, cd: '完好' }],
        m_name: '测试账号袁',
        m_phone: '13725554033',
        m_s_phone: '15181474781',
        m_store: '内光华门店',
        other: '',
        people_num: 1,
      },
    });
  });

  it('lets the lease start today (Beijing) but not yesterday', () => {
    assert.equal(read({ r_s_time: '2024-06-01' }).r_s_time, '2024-06-01');
    assert.deepEqual(
      onlyValidationError(() => read({ r_s_time: '2024-05-31' })),
      {
        field: 'r_s_time',
        error: '入住时间不能早于今天',
      },
    );
    // 2024-05-31 20:00 UTC is already 06-01 in Beijing.
    const lateUtc = Date.parse('2024-05-31T20:00:00Z');
    assert.equal(readLeaseForm({ ...form, r_s_time: '2024-06-01' }, lateUtc).r_s_time, '2024-06-01');
  });

  it('needs the end after the start, a one-day lease being one month', () => {
    assert.deepEqual(
      onlyValidationError(() => read({ r_e_time: '2024-06-10' })),
      {
        field: 'r_e_time',
        error: '到期时间必须晚于入住时间',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => read({ r_e_time: '2024-06-09' })),
      {
        field: 'r_e_time',
        error: '到期时间必须晚于入住时间',
      },
    );
    assert.equal(read({ r_e_time: '2024-06-11' }).months, 1);
  });

  it('caps the term at 60 months on both sides of the edge', () => {
    assert.equal(read({ r_e_time: '2029-06-10' }).months, 60);
    assert.deepEqual(
      onlyValidationError(() => read({ r_e_time: '2029-06-11' })),
      {
        field: 'r_e_time',
        error: '租期不能超过60个月',
      },
    );
  });

  it('takes JSON objects or arrays only for p_time, life and facility', () => {
    assert.deepEqual(
      onlyValidationError(() => read({ life: 'water=100' })),
      {
        field: 'life',
        error: '生活数据不是有效的JSON',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => read({ facility: '42' })),
      {
        field: 'facility',
        error: '房间设施不是有效的JSON',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => read({ p_time: 'null' })),
      {
        field: 'p_time',
        error: '付款时间段不是有效的JSON',
      },
    );
    assert.deepEqual(read({ life: '{}' }).details.life, {});
  });

  it('caps each JSON field at 10000 characters', () => {
    const justFits = JSON.stringify({ note: 'a'.repeat(10_000 - 11) });
    assert.equal(justFits.length, 10_000);
    assert.deepEqual(read({ life: justFits }).details.life, { note: 'a'.repeat(9_989) });
    const tooLong = JSON.stringify({ note: 'a'.repeat(10_000 - 10) });
    assert.deepEqual(
      onlyValidationError(() => read({ life: tooLong })),
      { field: 'life', error: '生活数据过长' },
    );
  });

  it('checks the codes and bounds of the other fields with the spec’s labels', () => {
    assert.deepEqual(
      onlyValidationError(() => read({ mode: '4' })),
      { field: 'mode', error: '租住方式不在可选范围内' },
    );
    assert.equal(read({ mode: '0' }).mode, 0);
    assert.deepEqual(
      onlyValidationError(() => read({ is_pay: '2' })),
      { field: 'is_pay', error: '是否代付不在可选范围内' },
    );
    assert.deepEqual(
      onlyValidationError(() => read({ h_i_id: '0' })),
      { field: 'h_i_id', error: '房源id不能小于1' },
    );
    assert.equal(read({ r_id: '7' }).r_id, 7);
    assert.deepEqual(
      onlyValidationError(() => read({ r_id: '0' })),
      { field: 'r_id', error: '房间id不能小于1' },
    );
    assert.equal(read({ people_num: '20' }).details.people_num, 20);
    assert.deepEqual(
      onlyValidationError(() => read({ people_num: '21' })),
      {
        field: 'people_num',
        error: '入住人数不能大于20',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => read({ people_num: '0' })),
      {
        field: 'people_num',
        error: '入住人数不能小于1',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => read({ t_name: '张' })),
      {
        field: 't_name',
        error: '租户姓名不能少于2个字符',
      },
    );
    assert.equal(read({ t_name: '张'.repeat(16) }).t_name, '张'.repeat(16));
    assert.deepEqual(
      onlyValidationError(() => read({ t_name: '张'.repeat(17) })),
      {
        field: 't_name',
        error: '租户姓名不能超过16个字符',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => read({ m_s_phone: '02812345678' })),
      {
        field: 'm_s_phone',
        error: '经办人门店电话不是有效的手机号码',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => read({ other: 'x'.repeat(256) })),
      {
        field: 'other',
        error: '其他说明不能超过255个字符',
      },
    );
    assert.equal(read({ t_phone: '0086 13812345678' }).t_phone, '13812345678');
    assert.equal(read({ t_id_card: '11010519491231002x' }).t_id_card.number, '11010519491231002X');
  });

  it('lists every missing required field at once, with the Chinese labels', () => {
    const fields = validationErrors(() => readLeaseForm({}, NOW));
    assert.deepEqual(
      fields.map((f) => f.field),
      [
        't_name',
        't_phone',
        't_id_card',
        'h_address',
        'r_s_time',
        'r_e_time',
        'p_time',
        'is_pay',
        'is_settle',
        'life',
        's_phone',
        'facility',
        'h_i_id',
        'mode',
        'm_name',
        'm_phone',
        'm_s_phone',
        'm_store',
      ],
    );
    for (const { field, error } of fields) assert.equal(error, `${LEASE_FIELD_LABELS[field]}不能为空`);
    assert.equal(fields[0]!.error, '租户姓名不能为空');
  });
});
