/** One row per rate-limited key (a phone, an address, a login name): what concurrent requests queue on. */
export interface LimitKeyTable {
  key: string;
  touched_at: number;
}
