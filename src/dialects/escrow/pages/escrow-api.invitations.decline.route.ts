import { Type } from '@sinclair/typebox';
import { ok } from './envelope.js';
import { DecisionBody, type PageRouteFile, TAGS, TokenParams, typed } from './shared.js';

const DeclineBody = Type.Composite([
  DecisionBody,
  Type.Object({ reason: Type.Optional(Type.String({ maxLength: 400, description: '拒绝原因' })) }),
]);

/** POST /escrow/api/invitations/:token/decline: the party declines, proven by the SMS code, with a reason. */
export const escrowApiInvitationsDeclineRoute: PageRouteFile = (app, ctx) => {
  typed(app).post(
    '/escrow/api/invitations/:token/decline',
    { schema: { tags: TAGS, summary: '拒绝邀约', params: TokenParams, body: DeclineBody } },
    async (request) =>
      ok(
        await ctx.modules.escrow.acceptance.decline(
          request.params.token,
          {
            code: request.body.code,
            termsHash: request.body.terms_hash,
            reason: request.body.reason,
            ip: request.ip,
          },
          ctx.clock.now(),
        ),
      ),
  );
};
