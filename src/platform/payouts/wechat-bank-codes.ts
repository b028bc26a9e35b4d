/**
 * WeChat Pay's bank numbers for 企业付款到银行卡 (`bank_code`), for the banks it pays to that we
 * know: the banks of the marketplace's catalog (modules/partner/bank-catalog.ts, whose codes are
 * accepted here too; the platform cannot import a module) that WeChat lists, and 上海银行. A bank
 * WeChat does not list (杭州银行, 浙商银行, 徽商银行, 渤海银行, 汉口银行 of the catalog) has no
 * number: such a payout is refused before WeChat is asked.
 */
const WECHAT_BANKS: ReadonlyArray<{ code: string; names: readonly string[] }> = [
  { code: '1002', names: ['工商银行', '中国工商银行', '工行', 'ICBC'] },
  { code: '1005', names: ['农业银行', '中国农业银行', '农行', 'ABC'] },
  { code: '1003', names: ['建设银行', '中国建设银行', '建行', 'CCB'] },
  { code: '1026', names: ['中国银行', '中行', 'BOC'] },
  { code: '1020', names: ['交通银行', '交行', 'BCOM', 'COMM'] },
  { code: '1001', names: ['招商银行', '招行', 'CMB'] },
  { code: '1066', names: ['邮储银行', '中国邮政储蓄银行', '邮政储蓄银行', 'POST', 'PSBC'] },
  { code: '1006', names: ['民生银行', '中国民生银行', 'CMBC'] },
  { code: '1010', names: ['平安银行', 'PAB'] },
  { code: '1021', names: ['中信银行', 'CITIC'] },
  { code: '1004', names: ['浦发银行', '上海浦东发展银行', 'SPDB'] },
  { code: '1009', names: ['兴业银行', 'CIB'] },
  { code: '1022', names: ['光大银行', '中国光大银行', 'CEB'] },
  { code: '1027', names: ['广发银行', '广东发展银行', 'GDB'] },
  { code: '1025', names: ['华夏银行', 'HXB'] },
  { code: '1056', names: ['宁波银行', 'NBCB'] },
  { code: '4836', names: ['北京银行', 'BOB'] },
  { code: '1024', names: ['上海银行'] },
  { code: '1054', names: ['南京银行', 'NJCB'] },
];

/** Every name, longest first, so 中国工商银行 is matched before a shorter name could be. */
const BY_NAME = WECHAT_BANKS.flatMap(({ code, names }) => names.map((name) => ({ code, name }))).sort(
  (a, b) => b.name.length - a.name.length,
);

/** The codes WeChat knows (the sandbox refuses any other). */
export const WECHAT_BANK_CODES: ReadonlySet<string> = new Set(WECHAT_BANKS.map((b) => b.code));

/**
 * WeChat's number for a bank as staff or the ISV wrote it: the bank's name (a branch after it is
 * fine: 中国工商银行杭州分行), its short name, or the catalog's code; undefined when WeChat does
 * not pay to it or we cannot tell which bank it is.
 */
export function wechatBankCode(bank: string): string | undefined {
  const name = bank
    .replace(/\s+/g, '')
    .replace(/股份有限公司|有限责任公司|有限公司/g, '')
    .toUpperCase();
  return BY_NAME.find((entry) =>
    /^[A-Z]+$/.test(entry.name) ? name === entry.name : name.startsWith(entry.name),
  )?.code;
}
