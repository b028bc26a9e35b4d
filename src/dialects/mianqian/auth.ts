import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../core/domain-error.js';
import type { StaffMember } from '../../modules/staff/index.js';
import type { DialectContext } from '../shared/dialect-context.js';

export const SESSION_COOKIE = 'ft_session';

declare module 'fastify' {
  interface FastifyRequest {
    staff: StaffMember | null;
  }
}

/** The session token from `Authorization: Bearer …` or, for the pages, the HttpOnly cookie. */
export function sessionToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim() || undefined;
  return request.cookies[SESSION_COOKIE] || undefined;
}

/** preHandler: no valid session, no data. */
export function requireStaff(ctx: DialectContext) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const token = sessionToken(request);
    const staff = token ? await ctx.modules.staff.authenticate(token, ctx.clock.now()) : null;
    if (!staff) throw new DomainError('unauthenticated', '请先登录');
    request.staff = staff;
  };
}

/** Account and partner management is the admin's, not a stage's. */
export function requireAdmin(staff: StaffMember): void {
  if (!staff.roles.includes('admin')) throw new DomainError('forbidden', '需要管理员权限');
}

export function currentStaff(request: FastifyRequest): StaffMember {
  if (!request.staff) throw new DomainError('unauthenticated', '请先登录');
  return request.staff;
}
