import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { FieldReader } from '../../../core/field-reader.js';
import { LEASE_FIELD_LABELS, TENANT_LOGIN_FIELDS } from '../../../modules/leases/index.js';
import { TENANT_LOGIN_PURPOSE } from '../../../modules/tenants/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { ok } from '../envelope.js';
import { answers, Done, formSchema, TAGS } from './shared.js';

/** POST /user_auth/send_code: text the tenant a login code (the login the spec assumes). */
export function userAuthSendCodeRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/user_auth/send_code',
    {
      schema: {
        tags: TAGS,
        summary: 'Send a login code by SMS',
        body: formSchema({ mobile: TENANT_LOGIN_FIELDS.mobile }),
        response: answers(Done),
      },
    },
    async (request) => {
      const r = new FieldReader(request.body, LEASE_FIELD_LABELS);
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
