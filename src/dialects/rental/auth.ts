import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../core/domain-error.js';
import type { Tenant } from '../../modules/tenants/index.js';
import type { DialectContext } from '../shared/dialect-context.js';

declare module 'fastify' {
  interface FastifyRequest {
    tenant: Tenant | null;
  }
}

/** preHandler: the tenant's bearer token from the SMS login. */
export function requireTenant(ctx: DialectContext) {
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
    const tenant = token ? await ctx.modules.tenants.authenticate(token, ctx.clock.now()) : null;
    if (!tenant) throw new DomainError('unauthenticated', '请先登录');
    request.tenant = tenant;
  };
}

export function currentTenant(request: FastifyRequest): Tenant {
  if (!request.tenant) throw new DomainError('unauthenticated', '请先登录');
  return request.tenant;
}
