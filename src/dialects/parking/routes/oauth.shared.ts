import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { PARKING_SESSION_COOKIE } from '../auth.js';

/** Where the page may ask to be sent back to: a path of the page, nothing else (no open redirect). */
const PAGE_PATH = /^\/parking\/[A-Za-z0-9\-._~/?=&%]*$/;
const MAX_REDIRECT = 80;

export function safeRedirect(redirect: string | undefined): string {
  if (!redirect || redirect.length > MAX_REDIRECT || !PAGE_PATH.test(redirect) || redirect.includes('//')) {
    return '/parking/';
  }
  return redirect;
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

// The state WeChat hands back: the redirect, signed with the app secret so nobody can forge one.
function stateMac(secret: string, redirect: string): string {
  return createHmac('sha256', secret).update(`parking-oauth:${redirect}`).digest('base64url').slice(0, 22);
}

export function signState(secret: string, redirect: string): string {
  return `${Buffer.from(redirect).toString('base64url')}.${stateMac(secret, redirect)}`;
}

/** The redirect a state carries, or undefined when it was not signed by us. */
export function verifyState(secret: string, state: string): string | undefined {
  const [encoded, mac] = state.split('.');
  if (!encoded || !mac) return undefined;
  const redirect = Buffer.from(encoded, 'base64url').toString('utf8');
  const expected = Buffer.from(stateMac(secret, redirect));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  return safeRedirect(redirect);
}

/** Opens a session for `openId`, sets its cookie and sends the browser to the page. */
export async function signIn(ctx: DialectContext, reply: FastifyReply, openId: string, redirect: string) {
  const session = await ctx.modules.parking.sessions.open(openId, ctx.clock.now());
  reply.setCookie(PARKING_SESSION_COOKIE, session.token, {
    httpOnly: true,
    // Lax: the first request after WeChat's redirect is a top-level navigation from another site.
    sameSite: 'lax',
    secure: ctx.config.env === 'production',
    path: '/parking',
    maxAge: Math.floor(ctx.config.parking.sessionTtlMs / 1000),
  });
  reply.header('cache-control', 'no-store');
  return reply.redirect(withOpenId(redirect, openId));
}
