import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../../core/domain-error.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { parkingCookies } from '../cookies.js';
import { endOAuthTrip, OPEN_ID, signIn } from './oauth.shared.js';
import { Failure, TAGS, typed } from './shared.js';

const EXCHANGE_TIMEOUT_MS = 5_000;

/**
 * GET /parking/oauth/callback?code&state (live only): WeChat's answer to the authorisation. The
 * state must be the one this browser's trip cookie holds, within its ten minutes; the code is exchanged at WeChat's sns/oauth2/access_token for
 * the caller's openid, a session opened and the browser sent back to the page.
 */
export function oauthCallbackRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/parking/oauth/callback',
    {
      schema: {
        tags: TAGS,
        summary: "WeChat OAuth's return: code → openId → session",
        querystring: Type.Object({
          code: Type.Optional(Type.String({ maxLength: 128 })),
          state: Type.Optional(Type.String({ maxLength: 256 })),
        }),
        response: { 302: Type.Null({ description: 'To the page' }), default: Failure },
      },
    },
    async (request, reply) => {
      const { parking } = ctx.config;
      if (parking.oauthMode !== 'live')
        throw new DomainError('bad_request', '未启用微信网页授权（PARKING_OAUTH_MODE 不是 live）');
      const cookie = parkingCookies(ctx).trip;
      const redirect = endOAuthTrip(
        parking.wechatAppSecret ?? '',
        request.query.state ?? '',
        request.cookies[cookie.name],
        ctx.clock.now(),
      );
      // The trip is over whatever comes of it: the browser drops the cookie, so it cannot bring
      // the same state back (WeChat's code is single-use besides).
      reply.clearCookie(cookie.name, cookie.options);
      if (!redirect) throw new DomainError('bad_request', '授权状态无效，请重新进入页面');
      const code = request.query.code;
      // The user declined (snsapi_base never asks, but a broken link may come without a code).
      if (!code) throw new DomainError('bad_request', '未获得微信授权，请重新进入页面');
      const openId = await exchangeCode(ctx, code);
      return signIn(ctx, reply, openId, redirect);
    },
  );
}

async function exchangeCode(ctx: DialectContext, code: string): Promise<string> {
  const { parking } = ctx.config;
  const query = new URLSearchParams({
    appid: parking.wechatAppId ?? '',
    secret: parking.wechatAppSecret ?? '',
    code,
    grant_type: 'authorization_code',
  });
  let answer: unknown;
  try {
    const response = await fetch(`${parking.wechatApiBase}/sns/oauth2/access_token?${query.toString()}`, {
      signal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS),
    });
    answer = await response.json();
  } catch {
    answer = undefined;
  }
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer))
    throw new DomainError('unavailable', '微信授权服务暂时不可用，请稍后再试');
  const { openid, errcode } = answer as { openid?: unknown; errcode?: unknown };
  if (typeof openid === 'string' && OPEN_ID.test(openid)) return openid;
  // 40029: the code is invalid or already used; 40163: used. Either way the page starts again. The
  // code is shown (support tells them apart by it); nothing else of WeChat's answer is repeated.
  const shown = Number.isSafeInteger(errcode) ? `（${errcode}）` : '';
  throw new DomainError('unauthenticated', `微信授权失败${shown}，请重新进入页面`);
}
