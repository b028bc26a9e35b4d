import { createHash, randomBytes, randomInt } from 'node:crypto';
import { maskCardNumber } from '../../core/bank-card.js';
import type { RawInput } from '../../core/field-reader.js';
import { maskIdCard } from '../../core/id-card.js';
import { maskMobile } from '../../core/mobile.js';
import { formatShanghaiDate } from '../../core/time.js';
import type { EscrowRequest } from './escrow-request.validation.js';
import type { EscrowPartyRole } from './escrow-state.js';

/** JSON with every object's keys sorted: the same terms always give the same text, hence the same hash. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * house_order_no (履约单号): the Beijing date as YYYYMMDD and 10 random digits, e.g.
 * `202406010123456789`. Unique by constraint; a collision (one in 10¹⁰ per day) makes the
 * insert fail and the transaction run again with a fresh number.
 */
export function newHouseOrderNo(now: number): string {
  const date = formatShanghaiDate(now).replaceAll('-', '');
  const digits =
    String(randomInt(0, 100_000)).padStart(5, '0') + String(randomInt(0, 100_000)).padStart(5, '0');
  return `${date}${digits}`;
}

/** An acceptance token: 32 random bytes, base64url (43 characters). */
export function newAcceptanceToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
  return sha256Hex(token);
}

export function isTokenShaped(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** The validated request in the spec's own field names, as stored (sealed) and merged by MODIFY. */
export function specShape(terms: EscrowRequest): RawInput {
  const party = (role: EscrowPartyRole) => (p: EscrowRequest['buyer_infos'][number]) => ({
    name: p.name,
    cert_type: p.cert_type,
    card_no: p.card_no,
    phone: p.phone,
    address: p.address,
    out_id: p.out_id,
    [`${role}_phone`]: p.contact_phone,
    [`${role}_address`]: p.contact_address,
  });
  return {
    ...terms,
    buyer_infos: terms.buyer_infos.map(party('buyer')),
    landlord_infos: terms.landlord_infos.map(party('landlord')),
  };
}

/** The terms the pages and `get` show: no party, identity values masked. */
export function publicTerms(terms: EscrowRequest) {
  const { buyer_infos: _b, landlord_infos: _l, ...rest } = terms;
  return {
    ...rest,
    landlord_payee_bankcard_no:
      rest.landlord_payee_bankcard_no === null ? null : maskCardNumber(rest.landlord_payee_bankcard_no),
    landlord_payee_card_no: maskIdCard(rest.landlord_payee_card_no),
    service_provider_phone: maskMobile(rest.service_provider_phone),
    service_provider_card_no:
      rest.service_provider_card_no === null ? null : maskIdCard(rest.service_provider_card_no),
  };
}

export type EscrowPublicTerms = ReturnType<typeof publicTerms>;
