import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../../core/domain-error.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { parkingCookies } from '../cookies.js';
import { OPEN_ID, safeRedirect, sandboxOpenId, signIn, startOAuthTrip } from './oauth.shared.js';
import { Failure, TAGS, typed } from './shared.js';

/**
 * GET /parking/oauth/authorize?redirect=/parking/…: who the WeChat caller is. In the sandbox
 * (PARKING_OAUTH_MODE=sandbox) an openId is made up — or `?open_id=` is taken, so a test or the
 * demo can be the same person again — a session opened (its cookie, cookies.ts) and the browser
 * sent to the redirect with `openId=` added. Live, the browser goes to WeChat's official-account
 * OAuth (snsapi_base) with a nonce as the state and a cookie that holds it (startOAuthTrip), and
 * WeChat sends it back to /parking/oauth/callback.
 */
export function oauthAuthorizeRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/parking/oauth/authorize',
    {
      schema: {
        tags: TAGS,
        summary: 'WeChat login (sandbox: mints an openId; live: WeChat OAuth snsapi_base)',
        querystring: Type.Object({
          redirect: Type.Optional(Type.String({ maxLength: 200, description: 'A path under /parking/' })),
          open_id: Type.Optional(Type.String({ maxLength: 64, description: 'Sandbox only: be this openId' })),
        }),
        response: { 302: Type.Null({ description: 'To the page, or to WeChat' }), default: Failure },
      },
    },
    async (request, reply) => {
      const { parking, publicBaseUrl } = ctx.config;
      const redirect = safeRedirect(request.query.redirect);
      if (parking.oauthMode === 'sandbox') {
        const given = request.query.open_id;
        return signIn(ctx, reply, given && OPEN_ID.test(given) ? given : sandboxOpenId(), redirect);
      }
      if (parking.oauthMode === 'off') throw new DomainError('unavailable', '微信登录未开启');
      const callback = new URL('/parking/oauth/callback', publicBaseUrl).toString();
      const trip = startOAuthTrip(parking.wechatAppSecret ?? '', redirect, ctx.clock.now());
      const query = new URLSearchParams({
        appid: parking.wechatAppId ?? '',
        redirect_uri: callback,
        response_type: 'code',
        scope: 'snsapi_base',
        state: trip.state,
      });
      const cookie = parkingCookies(ctx).trip;
      reply.setCookie(cookie.name, trip.cookie, { ...cookie.options, maxAge: trip.maxAgeSeconds });
      reply.header('cache-control', 'no-store');
      return reply.redirect(
        `${parking.wechatAuthorizeBase}/connect/oauth2/authorize?${query.toString()}#wechat_redirect`,
      );
    },
  );
}
