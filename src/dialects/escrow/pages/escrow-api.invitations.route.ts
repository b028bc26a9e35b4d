import { ok } from './envelope.js';
import type { PageRouteFile } from './shared.js';
import { TAGS, TokenParams, typed } from './shared.js';

/** GET /escrow/api/invitations/:token: what the party is asked to accept, and where the invitation stands. */
export const escrowApiInvitationsRoute: PageRouteFile = (app, ctx) => {
  typed(app).get(
    '/escrow/api/invitations/:token',
    { schema: { tags: TAGS, summary: '查看邀约条款', params: TokenParams } },
    async (request) => ok(await ctx.modules.escrow.acceptance.view(request.params.token, ctx.clock.now())),
  );
};
