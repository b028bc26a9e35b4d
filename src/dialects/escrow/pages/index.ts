import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { ENVELOPE_HTTP_STATUS } from '../../shared/envelope-http-status.js';
import { guardFieldFamily } from '../../shared/field-family.js';
import { escrowPagesRefusal, fail } from './envelope.js';
import { escrowApiInvitationsAcceptRoute } from './escrow-api.invitations.accept.route.js';
import { escrowApiInvitationsDeclineRoute } from './escrow-api.invitations.decline.route.js';
import { escrowApiInvitationsPayRoute } from './escrow-api.invitations.pay.route.js';
import { escrowApiInvitationsRoute } from './escrow-api.invitations.route.js';
import { escrowApiInvitationsSendCodeRoute } from './escrow-api.invitations.send-code.route.js';
import { PAGE_FIELD_LABELS } from './shared.js';

export { escrowPagesRefusal } from './envelope.js';

/**
 * The JSON API of the parties' acceptance pages: no login, the URL's token names the party and
 * the SMS code to the invitation's phone proves it is them.
 */
export async function escrowPagesApi(app: FastifyInstance, ctx: DialectContext): Promise<void> {
  guardFieldFamily(app, {
    refusal: escrowPagesRefusal,
    httpStatus: ENVELOPE_HTTP_STATUS,
    fail,
    labels: PAGE_FIELD_LABELS,
    invalidMessage: '参数错误',
  });
  for (const route of [
    escrowApiInvitationsRoute,
    escrowApiInvitationsSendCodeRoute,
    escrowApiInvitationsAcceptRoute,
    escrowApiInvitationsDeclineRoute,
    escrowApiInvitationsPayRoute,
  ])
    route(app, ctx);
}
