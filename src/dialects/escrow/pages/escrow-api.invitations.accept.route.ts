import { ok } from './envelope.js';
import { DecisionBody, type PageRouteFile, TAGS, TokenParams, typed } from './shared.js';

/** POST /escrow/api/invitations/:token/accept: the party accepts the terms the page showed, proven by the SMS code. */
export const escrowApiInvitationsAcceptRoute: PageRouteFile = (app, ctx) => {
  typed(app).post(
    '/escrow/api/invitations/:token/accept',
    { schema: { tags: TAGS, summary: '同意邀约', params: TokenParams, body: DecisionBody } },
    async (request) =>
      ok(
        await ctx.modules.escrow.acceptance.accept(
          request.params.token,
          { code: request.body.code, termsHash: request.body.terms_hash, ip: request.ip },
          ctx.clock.now(),
        ),
      ),
  );
};
