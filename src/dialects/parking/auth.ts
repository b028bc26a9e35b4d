import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../core/domain-error.js';
import { NOT_SIGNED_IN, type ParkingCaller } from '../../modules/parking/index.js';
import type { DialectContext } from '../shared/dialect-context.js';
import { parkingCookies } from './cookies.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Who calls (family 5): their WeChat openId; on a route that proves the session in its own
     * read, possibly a session still to prove.
     */
    parkingCaller: ParkingCaller | null;
  }
  interface FastifyContextConfig {
    /**
     * The route's one read proves the caller's session itself (the user's view by session), so a
     * session not in the cache costs no lookup of its own first.
     */
    parkingSessionInRead?: boolean;
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

/**
 * preHandler: the caller from a live session, or 401 in the family's envelope. A session the
 * cache does not hold is proved here, except on a route that proves it in its own read.
 */
export function requireParkingCaller(ctx: DialectContext) {
  const cookie = parkingCookies(ctx).session.name;
  const { sessions } = ctx.modules.parking;
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const token = parkingSessionToken(request, cookie);
    const now = ctx.clock.now();
    let caller = token ? sessions.identify(token, now) : null;
    if (caller && !('openId' in caller) && !request.routeOptions.config.parkingSessionInRead) {
      const openId = await sessions.prove(caller, now);
      caller = openId === null ? null : { openId };
    }
    if (!caller) throw new DomainError('unauthenticated', NOT_SIGNED_IN);
    // A bearer token is sent by code that holds it; only the cookie goes along by itself, and
    // only a call that changes something is worth forging (another page cannot read an answer).
    const byCookie = !request.headers.authorization?.startsWith('Bearer ');
    if (byCookie && request.method !== 'GET' && fromAnotherOrigin(request))
      throw new DomainError('forbidden', '请求来源不允许');
    request.parkingCaller = caller;
  };
}

/** The caller's openId, on a route whose session the hook proved. */
export function currentOpenId(request: FastifyRequest): string {
  const caller = request.parkingCaller;
  if (!caller || !('openId' in caller)) throw new DomainError('unauthenticated', NOT_SIGNED_IN);
  return caller.openId;
}

/** The caller, on a route that proves the session in its own read (`parkingSessionInRead`). */
export function currentCaller(request: FastifyRequest): ParkingCaller {
  if (!request.parkingCaller) throw new DomainError('unauthenticated', NOT_SIGNED_IN);
  return request.parkingCaller;
}
