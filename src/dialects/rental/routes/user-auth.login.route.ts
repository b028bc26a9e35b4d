import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { FieldReader } from '../../../core/field-reader.js';
import { LEASE_FIELD_LABELS, TENANT_LOGIN_FIELDS } from '../../../modules/leases/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { ok } from '../envelope.js';
import { answers, formSchema, Int, Success, strict, TAGS } from './shared.js';

const Session = Type.Object(
  { token: Type.String({ description: 'Bearer token' }), expires_at: Int('Unix milliseconds') },
  strict,
);

/** POST /user_auth/login: mobile + SMS code → bearer token. */
export function userAuthLoginRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/user_auth/login',
    {
      schema: {
        tags: TAGS,
        summary: 'Log in with the SMS code',
        body: formSchema(TENANT_LOGIN_FIELDS),
        response: answers(Success(Session)),
      },
    },
    async (request) => {
      const r = new FieldReader(request.body, LEASE_FIELD_LABELS);
      const mobile = r.mobile('mobile', { required: true });
      const code = r.text('code', { required: true, max: 6 });
      if (code !== undefined && !/^\d{6}$/.test(code)) r.fail('code', '验证码为6位数字');
      r.done();
      const session = await ctx.modules.tenants.login({ mobile: mobile!, code: code! }, ctx.clock.now());
      return ok({ token: session.token, expires_at: session.expiresAt });
    },
  );
}
