import type { Kysely } from 'kysely';
import { partnerSign } from '../../core/signing.js';
import type { Database } from '../../database.js';
import type { Pii } from '../../platform/pii.js';
import { partnerCallbacks } from '../outbox/index.js';
import { findPartner } from './partners.service.js';

/** Sends one signed form to a partner and answers the body it returned. */
export type CallbackTransport = (url: string, form: Record<string, string>) => Promise<string>;

export const httpCallbackTransport: CallbackTransport = async (url, form) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    signal: AbortSignal.timeout(10_000),
  });
  return response.text();
};

/**
 * The delivery job: every due callback is claimed (so two servers never send the same one at
 * once), signed exactly as the platform signs its calls to us, and marked delivered only when
 * the platform answers `status: 1`; otherwise it is retried later with a growing delay.
 */
export async function deliverCallbacks(
  deps: { db: Kysely<Database>; pii: Pii },
  transport: CallbackTransport,
  now: number,
): Promise<number> {
  return partnerCallbacks.deliverDue(deps.db, now, async (callback) => {
    const partner = await findPartner(deps, callback.ua);
    if (!partner?.callbackUrl) return '合作方未配置回调地址';
    const form = {
      ua: partner.ua,
      call: callback.call,
      args: callback.args,
      sign: partnerSign(partner.ua, partner.signkey, callback.call, callback.args),
      timestamp: String(Math.floor(now / 1000)),
    };
    const answer = JSON.parse(await transport(partner.callbackUrl, form)) as {
      status?: unknown;
      message?: unknown;
    };
    if (answer.status === 1 || answer.status === '1') return undefined;
    return `平台应答 status=${String(answer.status)} ${String(answer.message ?? '')}`;
  });
}
