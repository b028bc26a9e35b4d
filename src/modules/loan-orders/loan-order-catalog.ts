/** The catalogs of the 面签 spec. Codes are part of the contract; labels are what pages show. */

export const CITIES = ['北京市', '上海市'] as const;
export type City = (typeof CITIES)[number];

/** The spec keys per-city lists by these short codes. */
export const CITY_CODES: Record<City, 'bj' | 'sh'> = { 北京市: 'bj', 上海市: 'sh' };

export const DISTRICTS: Record<City, readonly string[]> = {
  北京市: [
    '东城区',
    '西城区',
    '朝阳区',
    '丰台区',
    '石景山区',
    '海淀区',
    '门头沟区',
    '房山区',
    '通州区',
    '顺义区',
    '昌平区',
    '大兴区',
    '怀柔区',
    '平谷区',
    '密云区',
    '延庆区',
  ],
  上海市: [
    '黄浦区',
    '徐汇区',
    '长宁区',
    '静安区',
    '普陀区',
    '虹口区',
    '杨浦区',
    '闵行区',
    '宝山区',
    '嘉定区',
    '浦东新区',
    '金山区',
    '松江区',
    '青浦区',
    '奉贤区',
    '崇明区',
  ],
};

/** Product type 0 is paid back as an agreed interest rate (约定利率), 1 as a service fee (服务费). */
export interface Product {
  id: number;
  name: string;
  type: 0 | 1;
  city: City;
}

export const PRODUCTS: readonly Product[] = [
  { id: 1, name: '北京-5成', type: 0, city: '北京市' },
  { id: 2, name: '北京-7成', type: 0, city: '北京市' },
  { id: 3, name: '北京-8.5成', type: 0, city: '北京市' },
  { id: 4, name: '北京-循环贷', type: 0, city: '北京市' },
  { id: 5, name: '上海-服务费', type: 1, city: '上海市' },
];

export const ORDER_TYPES: Record<number, string> = { 0: '中介订单', 1: '直户订单' };

export const HOUSE_TYPES: Record<City, Record<number, string>> = {
  北京市: { 1: '住宅', 9: '商业' },
  上海市: { 10: '住宅', 19: '商业' },
};

/** 规划用途 uses the same per-city codes as 房产性质 in the spec. */
export const GUIHUAYONGTU: Record<City, Record<number, string>> = HOUSE_TYPES;

/** The list the page offers is 1–5; 0 (未抵押) is accepted too, as the field comment allows. */
export const MORTGAGE_TYPES: Record<number, string> = {
  1: '一抵',
  2: '二抵',
  3: '一抵转单',
  4: '二抵转单',
  5: '一二抵转单',
};
export const MORTGAGE_TYPE_UNMORTGAGED = 0;

/**
 * Which earlier mortgages a mortgage type implies: taking a second lien (二抵) or refinancing
 * the first (一抵转单) means a first mortgage exists; refinancing a second (二抵转单, 一二抵转单)
 * means both exist.
 */
export const EARLIER_MORTGAGES: Record<number, { one: boolean; two: boolean }> = {
  0: { one: false, two: false },
  1: { one: false, two: false },
  2: { one: true, two: false },
  3: { one: true, two: false },
  4: { one: true, two: true },
  5: { one: true, two: true },
};

export const MARITAL_STATUSES: Record<number, string> = { 0: '未婚', 1: '已婚', 2: '离异', 3: '丧偶' };
export const MARRIED = 1;
export const DIVORCED = 2;

export const LOAN_LIMITS: readonly number[] = [1, 2, 3, 4, 5, 6, 12];

export function isCity(value: string): value is City {
  return (CITIES as readonly string[]).includes(value);
}

export function findProduct(id: number): Product | undefined {
  return PRODUCTS.find((p) => p.id === id);
}
