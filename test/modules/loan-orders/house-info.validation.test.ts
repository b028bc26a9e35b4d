import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readHouseInfo } from '../../../src/modules/loan-orders/house-info.validation.js';
import { onlyValidationError, validationErrors } from '../../helpers/domain-errors.js';

/** 2024-06-01 10:00 Beijing time: this year is 2024. */
const NOW = Date.parse('2024-06-01T10:00:00+08:00');
const beijingHouse = {
  house_cert_no: '京(2020)朝阳区不动产权第0001234号',
  house_province: '北京市',
  house_city: '朝阳区',
  house_address: '建国路88号1号楼101',
  house_type: '1',
  guihuayongtu: '1',
  house_size: '89.5',
  mortgage_type: '0',
};
const read = (input: Record<string, unknown>) => readHouseInfo(input, '北京市', NOW);

describe('readHouseInfo', () => {
  it('reads an unmortgaged Beijing house: area × 100, money in fen, absent optionals null', () => {
    assert.deepEqual(
      read({ ...beijingHouse, built_in: '2005', pg_money_shilian: '520.5', pg_money_renda: '510' }),
      {
        house_cert_no: '京(2020)朝阳区不动产权第0001234号',
        house_city: '朝阳区',
        house_address: '建国路88号1号楼101',
        house_type: 1,
        guihuayongtu: 1,
        house_size: 8950,
        built_in: 2005,
        mortgage_type: 0,
        before_one_arrived: null,
        before_two_arrived: null,
        pg_money_shilian: 520_500_000,
        pg_money_renda: 510_000_000,
      },
    );
  });

  it("requires the house's city to be a known one and the order's", () => {
    assert.deepEqual(
      onlyValidationError(() => read({ ...beijingHouse, house_province: '广州市' })),
      {
        field: 'house_province',
        error: '城市不在可选范围内',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => read({ ...beijingHouse, house_province: '上海市' })),
      {
        field: 'house_province',
        error: '城市须与订单城市(北京市)一致',
      },
    );
  });

  it("takes the district and the per-city codes of the order's city only", () => {
    assert.deepEqual(
      onlyValidationError(() => read({ ...beijingHouse, house_city: '黄浦区' })),
      {
        field: 'house_city',
        error: '区域不属于北京市',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => read({ ...beijingHouse, house_type: '10' })),
      {
        field: 'house_type',
        error: '房产性质不是北京市的可选项',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => read({ ...beijingHouse, guihuayongtu: '19' })),
      {
        field: 'guihuayongtu',
        error: '规划用途不是北京市的可选项',
      },
    );
    const shanghai = readHouseInfo(
      {
        ...beijingHouse,
        house_province: '上海市',
        house_city: '浦东新区',
        house_type: '10',
        guihuayongtu: '19',
      },
      '上海市',
      NOW,
    );
    assert.deepEqual([shanghai.house_city, shanghai.house_type, shanghai.guihuayongtu], ['浦东新区', 10, 19]);
    assert.equal(read({ ...beijingHouse, house_type: '9' }).house_type, 9);
  });

  it('bounds the built year to 1900 … this year (Beijing) on both sides', () => {
    assert.equal(read({ ...beijingHouse, built_in: '1900' }).built_in, 1900);
    assert.equal(read({ ...beijingHouse, built_in: '2024' }).built_in, 2024);
    assert.deepEqual(
      onlyValidationError(() => read({ ...beijingHouse, built_in: '1899' })),
      {
        field: 'built_in',
        error: '建成年代不能小于1900',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => read({ ...beijingHouse, built_in: '2025' })),
      {
        field: 'built_in',
        error: '建成年代不能大于2024',
      },
    );
    const newYearInBeijing = Date.parse('2024-12-31T16:00:00Z');
    assert.equal(
      readHouseInfo({ ...beijingHouse, built_in: '2025' }, '北京市', newYearInBeijing).built_in,
      2025,
    );
  });

  it('bounds the area: above 0, at most 100000 m² with 2 decimals', () => {
    assert.equal(read({ ...beijingHouse, house_size: '100000' }).house_size, 10_000_000);
    assert.deepEqual(
      onlyValidationError(() => read({ ...beijingHouse, house_size: '100000.01' })),
      {
        field: 'house_size',
        error: '建筑面积超出允许范围',
      },
    );
    assert.equal(read({ ...beijingHouse, house_size: '0.01' }).house_size, 1);
    assert.deepEqual(
      onlyValidationError(() => read({ ...beijingHouse, house_size: '0' })),
      {
        field: 'house_size',
        error: '建筑面积必须大于0',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => read({ ...beijingHouse, house_size: '89.555' })),
      {
        field: 'house_size',
        error: '建筑面积最多保留2位小数',
      },
    );
  });

  it('requires exactly the earlier mortgages the mortgage type implies', () => {
    // 二抵 and 一抵转单 imply a first mortgage; 二抵转单 and 一二抵转单 imply both.
    const second = read({ ...beijingHouse, mortgage_type: '2', before_one_arrived: '200' });
    assert.deepEqual([second.before_one_arrived, second.before_two_arrived], [200_000_000, null]);
    const both = read({
      ...beijingHouse,
      mortgage_type: '5',
      before_one_arrived: '200',
      before_two_arrived: '50.25',
    });
    assert.deepEqual([both.before_one_arrived, both.before_two_arrived], [200_000_000, 50_250_000]);
    assert.deepEqual(
      onlyValidationError(() => read({ ...beijingHouse, mortgage_type: '3' })),
      {
        field: 'before_one_arrived',
        error: '之前一抵金额不能为空',
      },
    );
    assert.deepEqual(
      validationErrors(() => read({ ...beijingHouse, mortgage_type: '4' })),
      [
        { field: 'before_one_arrived', error: '之前一抵金额不能为空' },
        { field: 'before_two_arrived', error: '之前二抵金额不能为空' },
      ],
    );
    assert.deepEqual(
      onlyValidationError(() => read({ ...beijingHouse, mortgage_type: '2', before_one_arrived: '0' })),
      {
        field: 'before_one_arrived',
        error: '之前一抵金额必须大于0',
      },
    );
  });

  it('refuses an earlier-mortgage amount the type does not imply, naming the type', () => {
    assert.deepEqual(
      onlyValidationError(() => read({ ...beijingHouse, before_one_arrived: '100' })),
      {
        field: 'before_one_arrived',
        error: '抵押类型为未抵押时不应有之前一抵金额',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => read({ ...beijingHouse, mortgage_type: '1', before_one_arrived: '100' })),
      {
        field: 'before_one_arrived',
        error: '抵押类型为一抵时不应有之前一抵金额',
      },
    );
    assert.deepEqual(
      onlyValidationError(() =>
        read({ ...beijingHouse, mortgage_type: '2', before_one_arrived: '100', before_two_arrived: '1' }),
      ),
      { field: 'before_two_arrived', error: '抵押类型为二抵时不应有之前二抵金额' },
    );
    const zero = read({ ...beijingHouse, before_one_arrived: '0' });
    assert.equal(zero.before_one_arrived, null, 'a zero where none is implied is no amount and is not kept');
    assert.deepEqual(
      onlyValidationError(() => read({ ...beijingHouse, mortgage_type: '6' })),
      {
        field: 'mortgage_type',
        error: '抵押类型不在可选范围内',
      },
    );
  });

  it('lists every missing required field at once', () => {
    assert.deepEqual(
      validationErrors(() => read({})),
      [
        { field: 'house_cert_no', error: '房产证号不能为空' },
        { field: 'house_province', error: '城市不能为空' },
        { field: 'house_city', error: '区域不能为空' },
        { field: 'house_address', error: '详细地址不能为空' },
        { field: 'house_type', error: '房产性质不能为空' },
        { field: 'guihuayongtu', error: '规划用途不能为空' },
        { field: 'house_size', error: '建筑面积不能为空' },
        { field: 'mortgage_type', error: '抵押类型不能为空' },
      ],
    );
  });
});
