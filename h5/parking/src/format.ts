const pad = (n: number) => String(n).padStart(2, '0');

/** An epoch-ms string (as the API writes times) as a Beijing date, 2026-12-30; "—" when absent. */
export function beijingDate(ms: string | number | null | undefined): string {
  const value = Number(ms);
  if (ms === null || ms === undefined || ms === '' || !Number.isFinite(value) || value <= 0) return '—';
  const d = new Date(value + 8 * 3_600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** The same with the time of day, 2026-12-30 14:05 (Beijing). */
export function beijingTime(ms: string | number | null | undefined): string {
  const date = beijingDate(ms);
  if (date === '—') return date;
  const d = new Date(Number(ms) + 8 * 3_600_000);
  return `${date} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** A yuan amount as the API writes it ("150.00", or orderAmount's number) with its unit. */
export function yuan(amount: string | number | null | undefined): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const value = Number(amount);
  return Number.isFinite(value) ? `${value.toFixed(2)} 元` : `${amount} 元`;
}

export const UNIT_LABELS: Record<string, string> = {
  '1': '小时',
  '2': '天',
  '3': '周',
  '4': '月',
  '5': '年',
};

export const CARD_STATE_LABELS: Record<string, string> = {
  '-1': '购买超时',
  '0': '新建',
  '1': '有效',
  '2': '续费中',
};

export const EXPIRE_LABELS: Record<string, string> = {
  '0': '使用中',
  '1': '已过期',
  '2': '审核中',
  '3': '已审核',
  '4': '审核拒绝',
};

export const ORDER_STATE_LABELS: Record<string, string> = {
  '01': '待支付',
  '03': '已支付',
  '21': '退款中',
  '22': '已退款',
  '81': '已超时',
};

export const AUDIT_LABELS: Record<string, string> = {
  '01': '未审核',
  '02': '审核中',
  '03': '已审核',
  '04': '审核拒绝',
};

export const PRICE_TYPES = [
  { label: '校内', value: '01' },
  { label: '校外', value: '02' },
] as const;

/** Mainland mobile: 11 digits starting 1[3-9]. */
export const isMobile = (value: string) => /^1[3-9]\d{9}$/.test(value);
