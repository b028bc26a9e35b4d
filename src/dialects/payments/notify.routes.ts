import type { FastifyError, FastifyInstance } from 'fastify';
import { handleWechatNotify, handleWechatV3Notify } from '../../modules/payments/index.js';
import { notifyReply } from '../../platform/wechat-pay/v2-gateway.js';
import {
  clientMistake,
  type FamilyRefusal,
  logClientMistake,
  refuseNulCharacters,
} from '../shared/client-mistakes.js';
import type { DialectContext } from '../shared/dialect-context.js';

export const WECHAT_NOTIFY_PATH = '/payments/wechat/notify';
export const WECHAT_V3_NOTIFY_PATH = '/payments/wechat/v3/notify';

// A notify is a few KB; WeChat never sends more.
const NOTIFY_BODY_LIMIT = 64 * 1024;

/** The v2 notify's URLs and its XML FAIL reply, for refusals made before the route runs. */
export const wechatNotifyRefusal: FamilyRefusal = {
  prefixes: ['/payments/wechat/'],
  refuse: (reply, mistake) =>
    reply.status(mistake.status).type('text/xml').send(notifyReply(false, mistake.message)),
};

/** The v3 notify's URLs and its `{code: 'FAIL'}` reply, for refusals made before the route runs. */
export const wechatV3NotifyRefusal: FamilyRefusal = {
  prefixes: ['/payments/wechat/v3/'],
  refuse: (reply, mistake) => reply.status(mistake.status).send({ code: 'FAIL', message: mistake.message }),
};

/**
 * WeChat Pay's notify endpoint. It speaks WeChat's own XML: whatever happens, the answer is
 * the SUCCESS / FAIL reply WeChat understands, never another envelope.
 */
export async function paymentsNotifyRoutes(app: FastifyInstance, ctx: DialectContext): Promise<void> {
  // WeChat posts XML; a JSON or form body would be parsed into an object this route never reads.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['text/xml', 'application/xml'],
    { parseAs: 'string', bodyLimit: NOTIFY_BODY_LIMIT },
    (_req, body, done) => done(null, body),
  );
  app.addHook('preValidation', refuseNulCharacters);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // WeChat retries any FAIL; a client's mistake also answers 4xx, so the access log tells it
    // apart from our own fault (200 FAIL, logged as an error).
    const mistake = clientMistake(error);
    if (mistake) {
      logClientMistake(request, error, mistake);
      return wechatNotifyRefusal.refuse(reply, mistake);
    }
    request.log.error({ err: error }, 'wechat notify failed');
    return reply.status(200).type('text/xml').send(notifyReply(false, '处理失败'));
  });
  app.post(
    WECHAT_NOTIFY_PATH,
    { schema: { tags: ['Payments'], summary: 'WeChat Pay v2 payment notify (XML)' } },
    async (request, reply) => {
      const body = typeof request.body === 'string' ? request.body : '';
      const { reply: xml, ok } = await handleWechatNotify(ctx.payments, body);
      if (!ok) request.log.warn('wechat notify refused');
      return reply.type('text/xml').send(xml);
    },
  );
}

/** WeChat Pay v3's notify: JSON in, 204 when taken, 4xx with {code: 'FAIL'} so WeChat retries. */
export async function paymentsV3NotifyRoutes(app: FastifyInstance, ctx: DialectContext): Promise<void> {
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
  app.post(
    WECHAT_V3_NOTIFY_PATH,
    { schema: { tags: ['Payments'], summary: 'WeChat Pay v3 payment notify (JSON, encrypted resource)' } },
    async (request, reply) => {
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([k, v]) => [k, String(v ?? '')]),
      );
      const outcome = await handleWechatV3Notify(
        ctx.payments,
        headers,
        typeof request.body === 'string' ? request.body : '',
      );
      return outcome.body
        ? reply.status(outcome.status).send(outcome.body)
        : reply.status(outcome.status).send();
    },
  );
}
