import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../core/domain-error.js';
import type { DialectContext } from '../shared/dialect-context.js';
import { parkingCookies } from './cookies.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The WeChat openId of the caller's session (family 5). */
    parkingOpenId: string | null;
  }
}

/** The session token: `Authorization: Bearer <token>`, else the session cookie the OAuth routes set. */
function parkingSessionToken(request: FastifyRequest, cookie: string): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim() || undefined;
  return request.cookies[cookie] || undefined;
}

/**
 * Whether a call came from a page of another origin, as the browser says (Sec-Fetch-Site, else
 * Origin). The family's page is served from this origin; the cookie is SameSite=Lax, which keeps
 * it from other sites but not from a sibling origin of the same site (another subdomain), whose
 * page could otherwise post a form to these calls as the driver.
 */
function fromAnotherOrigin(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return true;
  // The browser's own word settles it; Origin is the fallback for one that does not say.
  if (site === 'same-origin' || site === 'none') return false;
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  try {
    // Host names alone: a proxy may pass the host without its port, and cookies ignore ports too.
    return new URL(origin).hostname !== new URL(`http://${request.host}`).hostname;
  } catch {
    return true; // `Origin: null` (a sandboxed frame, a file) or worse
  }
}

/** preHandler: the caller's openId from a live session, or 401 in the family's envelope. */
export function requireParkingCaller(ctx: DialectContext) {
  const cookie = parkingCookies(ctx).session.name;
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const token = parkingSessionToken(request, cookie);
    const openId = token ? await ctx.modules.parking.sessions.authenticate(token, ctx.clock.now()) : null;
    if (!openId) throw new DomainError('unauthenticated', '请先登录（微信授权）');
    // A bearer token is sent by code that holds it; only the cookie goes along by itself, and
    // only a call that changes something is worth forging (another page cannot read an answer).
    const byCookie = !request.headers.authorization?.startsWith('Bearer ');
    if (byCookie && request.method !== 'GET' && fromAnotherOrigin(request))
      throw new DomainError('forbidden', '请求来源不允许');
    request.parkingOpenId = openId;
  };
}

export function currentOpenId(request: FastifyRequest): string {
  if (!request.parkingOpenId) throw new DomainError('unauthenticated', '请先登录（微信授权）');
  return request.parkingOpenId;
}
