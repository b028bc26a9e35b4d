import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { FieldReader, type RawInput } from '../../../core/field-reader.js';
import { LEASE_FIELD_LABELS } from '../../../modules/leases/index.js';
import { TENANT_LOGIN_PURPOSE } from '../../../modules/tenants/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { ok } from '../envelope.js';
import { TAGS, Value } from './shared.js';

/** POST /user_auth/send_code: text the tenant a login code (the login the spec assumes). */
export function userAuthSendCodeRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.post(
    '/user_auth/send_code',
    { schema: { tags: TAGS, summary: 'Send a login code by SMS', body: Type.Object({ mobile: Value(20) }) } },
    async (request) => {
      const r = new FieldReader(request.body as RawInput, LEASE_FIELD_LABELS);
      const mobile = r.mobile('mobile', { required: true });
      r.done();
      await ctx.modules.sms.sendCode(
        { phone: mobile!, purpose: TENANT_LOGIN_PURPOSE, ip: request.ip },
        ctx.clock.now(),
      );
      return ok();
    },
  );
}
