import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyError, FastifyInstance } from 'fastify';
import { clientMistake, type FamilyRefusal, logClientMistake } from '../shared/client-mistakes.js';
import type { DialectContext } from '../shared/dialect-context.js';
import { NOTIFY_BODY_LIMIT } from './payments.wechat.notify.route.js';

export const WECHAT_V3_NOTIFY_PATH = '/payments/wechat/v3/notify';

/** Not taken (4xx, or 500 on our fault): WeChat retries. */
const NotifyFail = Type.Object(
  { code: Type.Literal('FAIL'), message: Type.String() },
  { additionalProperties: false, description: 'Refused; WeChat retries' },
);

/** The v3 notify's URLs and its `{code: 'FAIL'}` reply, for refusals made before the route runs. */
export const wechatV3NotifyRefusal: FamilyRefusal = {
  prefixes: ['/payments/wechat/v3/'],
  refuse: (reply, mistake) => reply.status(mistake.status).send({ code: 'FAIL', message: mistake.message }),
};

/** WeChat Pay v3's notify: JSON in, 204 when taken, 4xx with {code: 'FAIL'} so WeChat retries. */
export async function paymentsWechatV3NotifyRoute(app: FastifyInstance, ctx: DialectContext): Promise<void> {
  // The signature covers the body exactly as sent, so it is kept as a string, not re-serialised;
  // WeChat sends JSON only, so any other type is refused with 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: NOTIFY_BODY_LIMIT },
    (_req, body, done) => done(null, body),
  );
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const mistake = clientMistake(error);
    if (mistake) {
      logClientMistake(request, error, mistake);
      return wechatV3NotifyRefusal.refuse(reply, mistake);
    }
    request.log.error({ err: error }, 'wechat v3 notify failed');
    return reply.status(500).send({ code: 'FAIL', message: '处理失败' });
  });
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    WECHAT_V3_NOTIFY_PATH,
    {
      schema: {
        tags: ['Payments'],
        summary: 'WeChat Pay v3 payment notify (JSON, encrypted resource)',
        response: {
          // No body at all (not JSON null): a plain schema, so the reply takes no payload.
          204: { type: 'null', description: 'Taken: no body' },
          default: NotifyFail,
        },
      },
    },
    async (request, reply) => {
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([k, v]) => [k, String(v ?? '')]),
      );
      const outcome = await ctx.modules.payments.wechatV3Notify(
        headers,
        typeof request.body === 'string' ? request.body : '',
      );
      // No body (204) sends nothing, exactly as send() does.
      return reply.status(outcome.status).send(outcome.body);
    },
  );
}
