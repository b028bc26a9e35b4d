import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../core/domain-error.js';
import type { DialectContext } from '../shared/dialect-context.js';

/** The HttpOnly cookie the OAuth routes set; `Authorization: Bearer <token>` is taken too. */
export const PARKING_SESSION_COOKIE = 'fangtong_parking';

declare module 'fastify' {
  interface FastifyRequest {
    /** The WeChat openId of the caller's session (family 5). */
    parkingOpenId: string | null;
  }
}

export function parkingSessionToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim() || undefined;
  return request.cookies[PARKING_SESSION_COOKIE] || undefined;
}

/** preHandler: the caller's openId from a live session, or 401 in the family's envelope. */
export function requireParkingCaller(ctx: DialectContext) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const token = parkingSessionToken(request);
    const openId = token ? await ctx.modules.parking.sessions.authenticate(token, ctx.clock.now()) : null;
    if (!openId) throw new DomainError('unauthenticated', '请先登录（微信授权）');
    request.parkingOpenId = openId;
  };
}

export function currentOpenId(request: FastifyRequest): string {
  if (!request.parkingOpenId) throw new DomainError('unauthenticated', '请先登录（微信授权）');
  return request.parkingOpenId;
}
