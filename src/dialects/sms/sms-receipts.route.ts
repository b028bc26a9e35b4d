import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { signaturesEqual } from '../../core/signing.js';
import type { DialectContext } from '../shared/dialect-context.js';

export const SMS_RECEIPTS_PREFIX = '/sms/receipts';

/** Aliyun's SmsReport push: one entry per message, `biz_id` being SendSms's BizId. */
const AliyunReport = Type.Array(
  Type.Object({
    biz_id: Type.String({ maxLength: 64 }),
    success: Type.Boolean(),
    err_code: Type.Optional(Type.String({ maxLength: 64 })),
    err_msg: Type.Optional(Type.String({ maxLength: 200 })),
  }),
  { maxItems: 1000 },
);

/** Tencent's 短信下发状态 callback: one entry per message, `sid` being SendSms's SerialNo. */
const TencentReport = Type.Array(
  Type.Object({
    sid: Type.String({ maxLength: 64 }),
    report_status: Type.String({ maxLength: 16 }),
    errmsg: Type.Optional(Type.String({ maxLength: 64 })),
    description: Type.Optional(Type.String({ maxLength: 200 })),
  }),
  { maxItems: 1000 },
);

const TokenParams = Type.Object({ token: Type.String({ maxLength: 128 }) });
const TAGS = ['SMS delivery receipts'];

/**
 * The delivery receipts Aliyun and Tencent push to a URL configured in their consoles. Neither
 * signs its push, so the URL carries a secret (SMS_RECEIPT_TOKEN); without one configured the
 * URLs do not exist. Each provider is answered in the shape it expects, or it retries.
 */
export async function smsReceiptsRoutes(scope: FastifyInstance, ctx: DialectContext): Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const token = ctx.config.sms.receiptToken;
  if (!token) return;
  const known = (given: string) => signaturesEqual(given, token);

  app.post(
    `${SMS_RECEIPTS_PREFIX}/aliyun/:token`,
    { schema: { tags: TAGS, summary: 'Aliyun SmsReport push', params: TokenParams, body: AliyunReport } },
    async (request, reply) => {
      const { token: given } = request.params;
      if (!known(given)) return reply.status(404).send({ code: 404, msg: '未找到' });
      const now = ctx.clock.now();
      for (const entry of request.body) {
        await ctx.modules.sms.recordReceipt(
          {
            provider: 'aliyun',
            providerId: entry.biz_id,
            delivered: entry.success,
            code: entry.err_code ?? null,
            message: entry.err_msg ?? null,
          },
          now,
        );
      }
      return { code: 0, msg: '成功' };
    },
  );

  app.post(
    `${SMS_RECEIPTS_PREFIX}/tencent/:token`,
    {
      schema: {
        tags: TAGS,
        summary: 'Tencent SMS status callback',
        params: TokenParams,
        body: TencentReport,
      },
    },
    async (request, reply) => {
      const { token: given } = request.params;
      if (!known(given)) return reply.status(404).send({ result: 404, errmsg: 'not found' });
      const now = ctx.clock.now();
      for (const entry of request.body) {
        await ctx.modules.sms.recordReceipt(
          {
            provider: 'tencent',
            providerId: entry.sid,
            delivered: entry.report_status === 'SUCCESS',
            code: entry.errmsg ?? null,
            message: entry.description ?? null,
          },
          now,
        );
      }
      return { result: 0, errmsg: 'OK' };
    },
  );
}
