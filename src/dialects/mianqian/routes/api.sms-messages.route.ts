import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { SMS_MESSAGE_STATUSES, type SmsMessageStatus } from '../../../modules/sms/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { CursorQuery, NextBeforeId, readCursorPage } from '../cursor-page.js';
import { ok } from '../envelope.js';
import { backOfficeResponses, shanghaiTime, typed } from './shared.js';

export const SMS_TAGS = ['Back-office: SMS delivery (admin)'];

export const SMS_STATUS_LABELS: Readonly<Record<SmsMessageStatus, string>> = {
  sending: '发送中',
  sent: '已发送',
  failed: '发送失败',
  delivered: '已送达',
  undelivered: '未送达',
};

export const SmsMessagesFilter = Type.Object({
  status: Type.Optional(
    Type.String({
      maxLength: 60,
      pattern: `^(${SMS_MESSAGE_STATUSES.join('|')})(,(${SMS_MESSAGE_STATUSES.join('|')}))*$`,
      description: '状态（逗号分隔）：sending, sent, failed, delivered, undelivered',
    }),
  ),
});

export const SmsMessagesQuery = Type.Object({ ...SmsMessagesFilter.properties, ...CursorQuery.properties });

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

/**
 * GET /api/sms-messages: text messages newest first (phones masked), e.g. ?status=failed,undelivered;
 * the newest 100 unless paged with `page_size` and `before_id` (the last answer's next_before_id). Admin only.
 */
export function apiSmsMessagesRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/sms-messages',
    {
      schema: {
        tags: SMS_TAGS,
        summary: 'Recent text messages and their delivery, phones masked (status: comma-separated)',
        querystring: SmsMessagesQuery,
        response: backOfficeResponses(
          Type.Object({ messages: Type.Array(SmsMessageView), next_before_id: NextBeforeId }),
        ),
      },
    },
    async (request) => {
      const statuses = request.query.status?.split(',') as SmsMessageStatus[] | undefined;
      const { rows, next_before_id } = await readCursorPage(request.query, (limit, beforeId) =>
        ctx.modules.sms.messages(statuses, limit, beforeId),
      );
      return ok({
        next_before_id,
        messages: rows.map((row) => ({
          ...row,
          created_at: shanghaiTime(row.created_at) ?? '',
          updated_at: shanghaiTime(row.updated_at) ?? '',
        })),
      });
    },
  );
}
