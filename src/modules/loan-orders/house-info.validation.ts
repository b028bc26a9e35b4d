import { FieldReader, type RawInput } from '../../core/field-reader.js';
import { formatShanghaiDate } from '../../core/time.js';
import {
  type City,
  DISTRICTS,
  EARLIER_MORTGAGES,
  GUIHUAYONGTU,
  HOUSE_TYPES,
  isCity,
  MORTGAGE_TYPE_UNMORTGAGED,
  MORTGAGE_TYPES,
} from './loan-order-catalog.js';
import { FIELD_LABELS } from './loan-order-fields.js';

export interface HouseInfo {
  house_cert_no: string;
  house_city: string;
  house_address: string;
  house_type: number;
  guihuayongtu: number;
  house_size: number;
  built_in: number | null;
  mortgage_type: number;
  before_one_arrived: number | null;
  before_two_arrived: number | null;
  pg_money_shilian: number | null;
  pg_money_renda: number | null;
}

const AREA_SCALE = 2;
const MAX_AREA = 100_000 * 10 ** AREA_SCALE;

export function readHouseInfo(input: RawInput, city: City, now: number): HouseInfo {
  const r = new FieldReader(input, FIELD_LABELS);
  const houseCertNo = r.text('house_cert_no', { required: true, max: 64 });
  const province = r.text('house_province', { required: true, max: 10 });
  if (province !== undefined && !isCity(province)) r.fail('house_province', '城市不在可选范围内');
  else if (province !== undefined && province !== city)
    r.fail('house_province', `城市须与订单城市(${city})一致`);
  const district = r.text('house_city', { required: true, max: 10 });
  if (district !== undefined && !DISTRICTS[city].includes(district))
    r.fail('house_city', `区域不属于${city}`);
  const address = r.text('house_address', { required: true, max: 200 });
  const houseType = r.int('house_type', { required: true });
  if (houseType !== undefined && !(houseType in HOUSE_TYPES[city]))
    r.fail('house_type', `房产性质不是${city}的可选项`);
  const use = r.int('guihuayongtu', { required: true });
  if (use !== undefined && !(use in GUIHUAYONGTU[city]))
    r.fail('guihuayongtu', `规划用途不是${city}的可选项`);
  const size = r.decimal('house_size', AREA_SCALE, { required: true, positive: true, max: MAX_AREA });
  const thisYear = Number(formatShanghaiDate(now).slice(0, 4));
  const builtIn = r.int('built_in', { min: 1900, max: thisYear });
  const mortgageType = r.int('mortgage_type', {
    required: true,
    oneOf: [MORTGAGE_TYPE_UNMORTGAGED, ...Object.keys(MORTGAGE_TYPES).map(Number)],
  });
  const implied = mortgageType === undefined ? undefined : EARLIER_MORTGAGES[mortgageType];
  const beforeOne = r.wanYuan('before_one_arrived', {
    required: implied?.one === true,
    positive: implied?.one,
  });
  const beforeTwo = r.wanYuan('before_two_arrived', {
    required: implied?.two === true,
    positive: implied?.two,
  });
  const typeLabel = mortgageType === undefined ? '' : (MORTGAGE_TYPES[mortgageType] ?? '未抵押');
  if (implied && !implied.one && beforeOne)
    r.fail('before_one_arrived', `抵押类型为${typeLabel}时不应有之前一抵金额`);
  if (implied && !implied.two && beforeTwo)
    r.fail('before_two_arrived', `抵押类型为${typeLabel}时不应有之前二抵金额`);
  const shilian = r.wanYuan('pg_money_shilian', { positive: true });
  const renda = r.wanYuan('pg_money_renda', { positive: true });
  r.done();
  return {
    house_cert_no: houseCertNo!,
    house_city: district!,
    house_address: address!,
    house_type: houseType!,
    guihuayongtu: use!,
    house_size: size!,
    built_in: builtIn ?? null,
    mortgage_type: mortgageType!,
    before_one_arrived: implied?.one ? beforeOne! : null,
    before_two_arrived: implied?.two ? beforeTwo! : null,
    pg_money_shilian: shilian ?? null,
    pg_money_renda: renda ?? null,
  };
}
