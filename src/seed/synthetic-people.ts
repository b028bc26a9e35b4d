import { idCardCheckDigit } from '../core/id-card.js';
import type { SeededRandom } from './random.js';

const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
];
const GIVEN = [
  ...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强春梅海燕红梅晓东文博子涵雨欣浩然思远嘉怡梓萱宇轩一诺',
];
// Real 6-digit region codes in both cities and a few places people move from.
const REGIONS = [
  '110101',
  '110102',
  '110105',
  '110108',
  '310101',
  '310104',
  '310115',
  '130102',
  '320102',
  '330106',
  '370102',
  '410105',
  '440106',
  '510104',
];

export function syntheticName(rng: SeededRandom): string {
  const given = rng.chance(0.6) ? rng.pick(GIVEN) + rng.pick(GIVEN) : rng.pick(GIVEN);
  return rng.pick(SURNAMES) + given;
}

export function syntheticMobile(rng: SeededRandom): string {
  return `1${rng.int(3, 9)}${rng.digits(9)}`;
}

/** A valid resident ID (real region, real date, GB 11643 check digit) of someone born in the range. */
export function syntheticIdCard(rng: SeededRandom, fromYear: number, toYear: number, sex?: 1 | 2): string {
  const year = rng.int(fromYear, toYear);
  const month = rng.int(1, 12);
  const day = rng.int(1, 28);
  let sequence = rng.int(0, 999);
  if (sex !== undefined && (sequence % 2 === 1) !== (sex === 1)) sequence = (sequence + 1) % 1000;
  const first17 = `${rng.pick(REGIONS)}${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${String(sequence).padStart(3, '0')}`;
  return first17 + idCardCheckDigit(first17);
}
