/**
 * The 23 banks of the marketplace's code table, with the card BINs (issuer prefixes) we
 * recognise for each and the card types we support. The BIN lists are the common UnionPay
 * prefixes of each bank, not the full national table: a card whose prefix is not here is
 * answered 402 (bank does not match), never guessed.
 */
export interface Bank {
  code: string;
  name: string;
  /** Per-transaction / daily / monthly limits as the platform shows them. */
  title: string;
  /** Card types supported: 1 credit, 2 debit. */
  cardTypes: readonly (1 | 2)[];
  /** BIN prefix → card type. */
  bins: Readonly<Record<string, 1 | 2>>;
}

const both = [1, 2] as const;
const debitOnly = [2] as const;

export const BANKS: readonly Bank[] = [
  {
    code: 'ICBC',
    name: '工商银行',
    title: '单笔1W/日2W/月2W',
    cardTypes: both,
    bins: { '622202': 2, '622208': 2, '621226': 2, '625330': 1 },
  },
  {
    code: 'ABC',
    name: '农业银行',
    title: '单笔2W/日5W/月10W',
    cardTypes: both,
    bins: { '622848': 2, '622845': 2, '622836': 1 },
  },
  {
    code: 'BOC',
    name: '中国银行',
    title: '单笔5W/日20W/月20W',
    cardTypes: both,
    bins: { '621661': 2, '621785': 2, '625906': 1 },
  },
  {
    code: 'CCB',
    name: '建设银行',
    title: '单笔5W/日10W/月20W',
    cardTypes: both,
    bins: { '621700': 2, '622700': 2, '625362': 1 },
  },
  {
    code: 'BCOM',
    name: '交通银行',
    title: '单笔5W/日5W/月10W',
    cardTypes: both,
    bins: { '622260': 2, '622262': 2, '622258': 1 },
  },
  {
    code: 'CMBC',
    name: '民生银行',
    title: '单笔5W/日10W/月20W',
    cardTypes: both,
    bins: { '622622': 2, '622615': 2, '622600': 1 },
  },
  {
    code: 'CMB',
    name: '招商银行',
    title: '单笔5W/日5W/月10W',
    cardTypes: both,
    bins: { '622588': 2, '621483': 2, '622575': 1 },
  },
  {
    code: 'POST',
    name: '邮储银行',
    title: '单笔5K/日5K/月10W',
    cardTypes: debitOnly,
    bins: { '621799': 2, '622188': 2 },
  },
  {
    code: 'PAB',
    name: '平安银行',
    title: '单笔5W/日5W/月10W',
    cardTypes: both,
    bins: { '622155': 1, '621626': 2, '623058': 2 },
  },
  {
    code: 'CITIC',
    name: '中信银行',
    title: '单笔1W/日1W/月3W',
    cardTypes: both,
    bins: { '622690': 2, '621771': 2, '622918': 1 },
  },
  {
    code: 'CEB',
    name: '光大银行',
    title: '单笔5W/日5W/月10W',
    cardTypes: both,
    bins: { '622660': 2, '622666': 2, '622663': 1 },
  },
  {
    code: 'CIB',
    name: '兴业银行',
    title: '单笔5W/日5W/月10W',
    cardTypes: both,
    bins: { '622908': 2, '622909': 2, '622901': 1 },
  },
  {
    code: 'GDB',
    name: '广发银行',
    title: '单笔5W/日10W/月20W',
    cardTypes: both,
    bins: { '622568': 2, '621462': 2, '622555': 1 },
  },
  {
    code: 'HXB',
    name: '华夏银行',
    title: '单笔5K/日1W/月5W',
    cardTypes: both,
    bins: { '622632': 2, '622630': 2, '622636': 1 },
  },
  {
    code: 'NJCB',
    name: '南京银行',
    title: '单笔5K/日1W/月5W',
    cardTypes: debitOnly,
    bins: { '622303': 2, '621777': 2 },
  },
  {
    code: 'SPDB',
    name: '浦发银行',
    title: '单笔5W/日5W/月10W',
    cardTypes: both,
    bins: { '622521': 2, '622522': 2, '622517': 1 },
  },
  {
    code: 'BOB',
    name: '北京银行',
    title: '单笔5K/日5K/月5W',
    cardTypes: debitOnly,
    bins: { '622163': 2, '621030': 2 },
  },
  {
    code: 'HZB',
    name: '杭州银行',
    title: '单笔5K/日5K/月5W',
    cardTypes: debitOnly,
    bins: { '621977': 2, '603367': 2 },
  },
  {
    code: 'NBCB',
    name: '宁波银行',
    title: '单笔5K/日5K/月5W',
    cardTypes: debitOnly,
    bins: { '621418': 2, '622282': 2 },
  },
  {
    code: 'CZB',
    name: '浙商银行',
    title: '单笔5K/日5K/月5W',
    cardTypes: debitOnly,
    bins: { '621019': 2, '622309': 2 },
  },
  {
    code: 'HSB',
    name: '徽商银行',
    title: '单笔5K/日5K/月5W',
    cardTypes: debitOnly,
    bins: { '621778': 2, '622651': 2 },
  },
  {
    code: 'CBHB',
    name: '渤海银行',
    title: '单笔5K/日5K/月5W',
    cardTypes: debitOnly,
    bins: { '621268': 2, '622684': 2 },
  },
  {
    code: 'HKBANK',
    name: '汉口银行',
    title: '单笔5K/日5K/月5W',
    cardTypes: debitOnly,
    bins: { '622325': 2, '621796': 2 },
  },
];

export function bankIcon(code: string): string {
  return `/app/banks/${code}.png`;
}

export function findBank(code: string): Bank | undefined {
  return BANKS.find((b) => b.code === code);
}

/** The bank and card type a card number's BIN names, or undefined when we do not know it. */
export function bankOfCard(number: string): { bank: Bank; cardType: 1 | 2 } | undefined {
  const bin = number.slice(0, 6);
  for (const bank of BANKS) {
    const cardType = bank.bins[bin];
    if (cardType) return { bank, cardType };
  }
  return undefined;
}
