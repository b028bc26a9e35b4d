import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';

export type PageRouteFile = (app: FastifyInstance, ctx: DialectContext) => void;

export const TAGS = ['Escrow acceptance pages (family 3)'];
export const typed = (app: FastifyInstance) => app.withTypeProvider<TypeBoxTypeProvider>();

/** A party's acceptance token: 32 random bytes, base64url. */
export const TokenParams = Type.Object({
  token: Type.String({ maxLength: 64, description: '应约链接中的令牌' }),
});

/** The SMS code the party received and the terms_hash of the terms the page showed. */
export const DecisionBody = Type.Object({
  code: Type.String({ maxLength: 6, description: '验证码' }),
  terms_hash: Type.Optional(Type.String({ maxLength: 64, description: '所确认条款的摘要' })),
});

/** The labels of the pages' fields, for the messages of a request the schema refuses. */
export const PAGE_FIELD_LABELS: Readonly<Record<string, string>> = {
  token: '令牌',
  code: '验证码',
  terms_hash: '条款摘要',
  reason: '拒绝原因',
  amount_type: '资金类型',
  open_id: '微信用户标识',
};
