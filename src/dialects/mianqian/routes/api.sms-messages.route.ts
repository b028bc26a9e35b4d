import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { SMS_MESSAGE_STATUSES, type SmsMessageStatus } from '../../../modules/sms/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { ok } from '../envelope.js';
import { backOfficeResponses, shanghaiTime, typed } from './shared.js';

const TAGS = ['Back-office: SMS delivery (admin)'];

export const SmsMessagesQuery = Type.Object({
  status: Type.Optional(
    Type.String({
      maxLength: 60,
      pattern: `^(${SMS_MESSAGE_STATUSES.join('|')})(,(${SMS_MESSAGE_STATUSES.join('|')}))*$`,
      description: '状态（逗号分隔）：sending, sent, failed, delivered, undelivered',
    }),
  ),
});

const SmsMessageView = Type.Object({
  id: Type.Integer(),
  purpose: Type.String(),
  phone_masked: Type.String(),
  provider: Type.String(),
  template_id: Type.String(),
  provider_id: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union(SMS_MESSAGE_STATUSES.map((s) => Type.Literal(s))),
  error_code: Type.Union([Type.String(), Type.Null()]),
  error_message: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
});

/** GET /api/sms-messages: the newest 100 text messages (phones masked), e.g. ?status=failed,undelivered. Admin only. */
export function apiSmsMessagesRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/sms-messages',
    {
      schema: {
        tags: TAGS,
        summary: 'Recent text messages and their delivery, phones masked (status: comma-separated)',
        querystring: SmsMessagesQuery,
        response: backOfficeResponses(Type.Object({ messages: Type.Array(SmsMessageView) })),
      },
    },
    async (request) => {
      const statuses = request.query.status?.split(',') as SmsMessageStatus[] | undefined;
      const rows = await ctx.modules.sms.messages(statuses);
      return ok({
        messages: rows.map((row) => ({
          ...row,
          created_at: shanghaiTime(row.created_at) ?? '',
          updated_at: shanghaiTime(row.updated_at) ?? '',
        })),
      });
    },
  );
}
