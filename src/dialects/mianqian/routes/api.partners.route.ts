import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { backOfficeResponses, PARTNER_TAGS } from './shared.js';

export const CreatePartnerRequest = Type.Object({
  ua: Type.String({ maxLength: 64 }),
  signkey: Type.String({ maxLength: 128 }),
  calls: Type.Union([Type.Literal('*'), Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20 })]),
  callback_url: Type.Optional(Type.String({ maxLength: 300 })),
});

/** GET /api/partners lists family 4's partners (never their keys); POST adds one. Admin only. */
export function apiPartnersRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.get(
    '/api/partners',
    {
      schema: {
        tags: PARTNER_TAGS,
        summary: 'List partners (keys are never shown)',
        response: backOfficeResponses(),
      },
    },
    async () => ok({ partners: await ctx.modules.partner.list() }),
  );

  app.post(
    '/api/partners',
    {
      schema: {
        tags: PARTNER_TAGS,
        summary: 'Add a partner: ua, signkey, the calls it may make (or *), its callback URL',
        body: CreatePartnerRequest,
        response: backOfficeResponses(),
      },
    },
    async (request) => {
      const body = request.body as {
        ua: string;
        signkey: string;
        calls: '*' | string[];
        callback_url?: string;
      };
      const staff = currentStaff(request);
      return ok(
        await ctx.modules.partner.create(
          { ua: body.ua, signkey: body.signkey, calls: body.calls, callbackUrl: body.callback_url },
          ctx.clock.now(),
          `staff:${staff.id}`,
        ),
        '创建成功',
      );
    },
  );
}
