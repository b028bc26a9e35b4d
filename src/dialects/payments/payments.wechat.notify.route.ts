import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyError, FastifyInstance } from 'fastify';
import { notifyReply } from '../../platform/wechat-pay/v2-gateway.js';
import {
  clientMistake,
  type FamilyRefusal,
  logClientMistake,
  refuseNulCharacters,
} from '../shared/client-mistakes.js';
import type { DialectContext } from '../shared/dialect-context.js';

export const WECHAT_NOTIFY_PATH = '/payments/wechat/notify';

// A notify is a few KB; WeChat never sends more.
export const NOTIFY_BODY_LIMIT = 64 * 1024;

/** WeChat's reply: SUCCESS when the notify is taken, FAIL (and WeChat retries) otherwise. */
const NotifyXmlReply = {
  description: "WeChat's XML reply; a client mistake (415, 404, 413 …) also answers FAIL",
  content: {
    'text/xml': {
      schema: Type.String({
        description:
          '<xml><return_code><![CDATA[SUCCESS|FAIL]]></return_code><return_msg><![CDATA[OK or why]]></return_msg></xml>',
      }),
    },
  },
};

/** The v2 notify's URLs and its XML FAIL reply, for refusals made before the route runs. */
export const wechatNotifyRefusal: FamilyRefusal = {
  prefixes: ['/payments/wechat/'],
  refuse: (reply, mistake) =>
    reply.status(mistake.status).type('text/xml').send(notifyReply(false, mistake.message)),
};

/**
 * WeChat Pay's notify endpoint. It speaks WeChat's own XML: whatever happens, the answer is
 * the SUCCESS / FAIL reply WeChat understands, never another envelope.
 */
export async function paymentsWechatNotifyRoute(app: FastifyInstance, ctx: DialectContext): Promise<void> {
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
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    WECHAT_NOTIFY_PATH,
    {
      schema: {
        tags: ['Payments'],
        summary: 'WeChat Pay v2 payment notify (XML)',
        response: { 200: NotifyXmlReply, default: NotifyXmlReply },
      },
    },
    async (request, reply) => {
      const body = typeof request.body === 'string' ? request.body : '';
      const { reply: xml, ok } = await ctx.modules.payments.wechatNotify(body);
      if (!ok) request.log.warn('wechat notify refused');
      return reply.type('text/xml').send(xml);
    },
  );
}
