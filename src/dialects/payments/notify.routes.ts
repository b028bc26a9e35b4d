import type { FastifyInstance } from 'fastify';
import { handleWechatNotify, handleWechatV3Notify } from '../../modules/payments/index.js';
import { notifyReply } from '../../platform/wechat-pay/v2-gateway.js';
import type { DialectContext } from '../shared/dialect-context.js';

export const WECHAT_NOTIFY_PATH = '/payments/wechat/notify';
export const WECHAT_V3_NOTIFY_PATH = '/payments/wechat/v3/notify';

/**
 * WeChat Pay's notify endpoint. It speaks WeChat's own XML: whatever happens, the answer is
 * the SUCCESS / FAIL reply WeChat understands, never another envelope.
 */
export async function paymentsNotifyRoutes(app: FastifyInstance, ctx: DialectContext): Promise<void> {
  app.addContentTypeParser(
    ['text/xml', 'application/xml'],
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (_req, body, done) => done(null, body),
  );
  app.setErrorHandler((error, request, reply) => {
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
  // The signature covers the body exactly as sent, so it is kept as a string, not re-serialised.
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (_req, body, done) => done(null, body),
  );
  app.setErrorHandler((error, request, reply) => {
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
