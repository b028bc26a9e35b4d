/** Fen as yuan with two decimals and thousands separators: 100000000 → "1,000,000.00". */
export function yuan(fen: number): string {
  const negative = fen < 0;
  const abs = Math.abs(Math.round(fen));
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = String(abs % 100).padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${cents}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Epoch ms as Beijing time (fixed UTC+8, as the server reckons it): 2024-06-02 10:00. */
export function beijingTime(ms: number): string {
  const d = new Date(ms + 8 * 3_600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export const ROLE_LABELS: Record<string, string> = { buyer: '买方', landlord: '卖方' };

export const CONTRACT_TYPE_LABELS: Record<string, string> = { DEPOSIT: '定金合同', SALES: '买卖合同' };

export const AMOUNT_TYPE_LABELS: Record<string, string> = {
  deposit_pay: '定金',
  down_pay: '首付款',
  balance_pay: '尾款',
};
