import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { signaturesEqual } from '../../../core/signing.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { parkingCookies } from '../cookies.js';

/** Where the page may ask to be sent back to: a path of the page, nothing else (no open redirect). */
const PAGE_PATH = /^\/parking\/[A-Za-z0-9\-._~/?=&%]*$/;
const MAX_REDIRECT = 80;

export function safeRedirect(redirect: string | undefined): string {
  if (!redirect || redirect.length > MAX_REDIRECT || !PAGE_PATH.test(redirect) || redirect.includes('//')) {
    return '/parking/';
  }
  // As the browser will read it: `/parking/../x` (or `%2e%2e`) is a path outside the page.
  const resolved = new URL(redirect, 'http://page.invalid');
  return resolved.pathname.startsWith('/parking/') ? redirect : '/parking/';
}

/** The page's address with the openId added, so the page knows whom it pays for (call 7). */
export function withOpenId(redirect: string, openId: string): string {
  return `${redirect}${redirect.includes('?') ? '&' : '?'}openId=${encodeURIComponent(openId)}`;
}

/** An openId the sandbox makes up: `sandbox-` and 28 random letters and digits. */
export function sandboxOpenId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return `sandbox-${[...randomBytes(28)].map((b) => alphabet[b % alphabet.length]).join('')}`;
}

/** What `?open_id=` may be: WeChat's openIds are 28 characters of [A-Za-z0-9_-]; the sandbox's start sandbox-. */
export const OPEN_ID = /^[A-Za-z0-9_-]{6,64}$/;

/** How long a trip to WeChat's authorisation may take before the page must start again. */
const OAUTH_TRIP_MS = 10 * 60_000;

function tripMac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(`parking-oauth:${payload}`).digest('base64url').slice(0, 22);
}

/**
 * A trip to WeChat's authorisation: `state` is a random nonce (WeChat allows [A-Za-z0-9], ≤ 128),
 * and the cookie carries that nonce, the page to return to and the trip's end, signed with the app
 * secret. The callback takes a state only from the browser that holds its cookie, once, within
 * ten minutes: someone else's link (their code and state) cannot log a victim in as them.
 */
export function startOAuthTrip(
  secret: string,
  redirect: string,
  now: number,
): { state: string; cookie: string; maxAgeSeconds: number } {
  const state = randomBytes(16).toString('hex');
  const payload = `${state}.${now + OAUTH_TRIP_MS}.${Buffer.from(redirect).toString('base64url')}`;
  return { state, cookie: `${payload}.${tripMac(secret, payload)}`, maxAgeSeconds: OAUTH_TRIP_MS / 1000 };
}

/** The page to return to, when `state` is the one this browser's trip cookie holds and the trip is not over. */
export function endOAuthTrip(
  secret: string,
  state: string,
  cookie: string | undefined,
  now: number,
): string | undefined {
  const parts = cookie?.split('.') ?? [];
  if (parts.length !== 4) return undefined;
  const [nonce, endsAt, encoded, mac] = parts as [string, string, string, string];
  if (!signaturesEqual(tripMac(secret, `${nonce}.${endsAt}.${encoded}`), mac)) return undefined;
  if (!signaturesEqual(nonce, state) || !(Number(endsAt) > now)) return undefined;
  return safeRedirect(Buffer.from(encoded, 'base64url').toString('utf8'));
}

/** Opens a session for `openId`, sets its cookie and sends the browser to the page. */
export async function signIn(ctx: DialectContext, reply: FastifyReply, openId: string, redirect: string) {
  const session = await ctx.modules.parking.sessions.open(openId, ctx.clock.now());
  const cookie = parkingCookies(ctx).session;
  reply.setCookie(cookie.name, session.token, {
    ...cookie.options,
    maxAge: Math.floor(ctx.config.parking.sessionTtlMs / 1000),
  });
  reply.header('cache-control', 'no-store');
  return reply.redirect(withOpenId(redirect, openId));
}
