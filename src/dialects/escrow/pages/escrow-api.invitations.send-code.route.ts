import { ok } from './envelope.js';
import { type PageRouteFile, TAGS, TokenParams, typed } from './shared.js';

/** POST /escrow/api/invitations/:token/send-code: texts the party a code to the phone on the invitation. */
export const escrowApiInvitationsSendCodeRoute: PageRouteFile = (app, ctx) => {
  typed(app).post(
    '/escrow/api/invitations/:token/send-code',
    { schema: { tags: TAGS, summary: '发送应约验证码', params: TokenParams } },
    async (request) =>
      ok(await ctx.modules.escrow.acceptance.sendCode(request.params.token, request.ip, ctx.clock.now())),
  );
};
