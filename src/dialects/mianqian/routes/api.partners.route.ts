import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { PARTNER_FIELDS } from '../back-office-labels.js';
import { ok } from '../envelope.js';
import { PartnerView } from '../views.js';
import { backOfficeResponses, PARTNER_TAGS, typed } from './shared.js';

export const CreatePartnerRequest = Type.Object({
  ua: Type.String({ maxLength: 64, description: PARTNER_FIELDS.ua }),
  signkey: Type.String({ maxLength: 128, description: PARTNER_FIELDS.signkey }),
  calls: Type.Union([Type.Literal('*'), Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20 })], {
    description: PARTNER_FIELDS.calls,
  }),
  callback_url: Type.Optional(Type.String({ maxLength: 300, description: PARTNER_FIELDS.callback_url })),
});

export const PartnersResponse = Type.Object({ partners: Type.Array(PartnerView) });
export const CreatedPartner = Type.Object({ id: Type.Integer(), ua: Type.String() });

/** GET /api/partners lists family 4's partners (never their keys); POST adds one. Admin only. */
export function apiPartnersRoute(app: FastifyInstance, ctx: DialectContext): void {
  const api = typed(app);
  api.get(
    '/api/partners',
    {
      schema: {
        tags: PARTNER_TAGS,
        summary: 'List partners (keys are never shown)',
        response: backOfficeResponses(PartnersResponse),
      },
    },
    async () => ok({ partners: await ctx.modules.partner.list() }),
  );

  api.post(
    '/api/partners',
    {
      schema: {
        tags: PARTNER_TAGS,
        summary: 'Add a partner: ua, signkey, the calls it may make (or *), its callback URL',
        body: CreatePartnerRequest,
        response: backOfficeResponses(CreatedPartner),
      },
    },
    async (request) => {
      const { body } = request;
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
