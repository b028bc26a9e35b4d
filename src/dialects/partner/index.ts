import formbody from '@fastify/formbody';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyError, FastifyInstance } from 'fastify';
import { isDomainError } from '../../core/domain-error.js';
import { isRawInput } from '../../core/field-reader.js';
import { partnerSign, signaturesEqual } from '../../core/signing.js';
import { PARTNER_CLOCK_SKEW_MS } from '../../modules/partner/index.js';
import {
  clientMistake,
  containsNul,
  type FamilyRefusal,
  logClientMistake,
  readMissingBodyAsEmpty,
  refuseNulCharacters,
} from '../shared/client-mistakes.js';
import type { DialectContext } from '../shared/dialect-context.js';
import { PARTNER_CALL_LIST, PARTNER_CALLS } from './calls/index.js';
import {
  CLIENT_MISTAKE_OUTCOME,
  GATEWAY_STATUS,
  type GatewayOutcome,
  PARTNER_ERROR_OUTCOME,
} from './gateway-status.js';

/** The one entry the marketplace platform calls; `call` names the interface. */
export const PARTNER_GATEWAY_PATH = '/partner/gateway';

/** Family 4's URLs and envelope, so the app's 404 and URL refusals answer in it. */
export const partnerRefusal: FamilyRefusal = {
  prefixes: ['/partner/'],
  refuse: (reply, mistake) => {
    const s = GATEWAY_STATUS[CLIENT_MISTAKE_OUTCOME[mistake.status] ?? 'unreadable'];
    return reply.status(mistake.status).send({ status: s.status, message: s.message, response: null });
  },
};

const GatewayForm = Type.Object(
  {
    ua: Type.Optional(Type.String({ maxLength: 64, description: "The platform's id with us" })),
    call: Type.Optional(
      Type.String({
        maxLength: 64,
        description: `The interface: ${PARTNER_CALL_LIST.map((c) => c.name).join(', ')}`,
      }),
    ),
    args: Type.Optional(
      Type.String({ maxLength: 16_384, description: "The call's arguments, a JSON object as a string" }),
    ),
    sign: Type.Optional(Type.String({ maxLength: 64 })),
    timestamp: Type.Optional(Type.String({ maxLength: 20, description: 'Unix seconds' })),
  },
  { additionalProperties: true },
);

const strict = { additionalProperties: false } as const;
const statusesOf = (keep: (s: (typeof GATEWAY_STATUS)[GatewayOutcome]) => boolean): TSchema[] =>
  Object.values(GATEWAY_STATUS)
    .filter((s) => s.status !== GATEWAY_STATUS.ok.status && keep(s))
    .map((s) => Type.Literal(s.status, { description: s.message }));
const GatewayFailure = (keep: (s: (typeof GATEWAY_STATUS)[GatewayOutcome]) => boolean) =>
  Type.Object(
    {
      status: Type.Union(statusesOf(keep)),
      message: Type.String({ description: "The status's message, with the detail for 1009" }),
      response: Type.Null(),
    },
    { ...strict, description: 'Failure' },
  );

/** `{status, message, response}`: status 1 with the call's response, or a failure status. */
const GatewayAnswers = {
  200: Type.Union([
    Type.Object(
      {
        status: Type.Literal(GATEWAY_STATUS.ok.status),
        message: Type.Literal(GATEWAY_STATUS.ok.message),
        response: Type.Union(PARTNER_CALL_LIST.map((c) => c.response)),
      },
      { ...strict, description: 'Success: the response of the call named' },
    ),
    GatewayFailure((s) => s.http === 200),
  ]),
  default: GatewayFailure((s) => s.http !== 200),
};

/** The calls and their args, for the OpenAPI description (the route validates args itself). */
const CALLS_DESCRIPTION = PARTNER_CALL_LIST.map(
  (c) => `**${c.name}** — ${c.summary}. args: \`${JSON.stringify(c.args)}\``,
).join('\n\n');

/** The call's result, for the call log: `result` (admission) or `bind_status` (binding). */
function loggedResult(response: unknown): string | null {
  if (!isRawInput(response)) return null;
  return String(response.result ?? response.bind_status ?? '') || null;
}

/**
 * Family 4: we are the partner lender. Every request is checked in this order — public
 * parameters present, known ua, signature (constant time), timestamp within ±10 minutes,
 * (ua, sign) not seen before, known call, call permitted, args a JSON object — and each
 * failure has its own status. Every call is logged without its arguments.
 */
export async function partnerDialect(app: FastifyInstance, ctx: DialectContext): Promise<void> {
  const { ok } = GATEWAY_STATUS;
  const success = (response: unknown) => ({
    http: ok.http,
    body: { status: ok.status, message: ok.message, response },
  });
  const answer = (outcome: Exclude<GatewayOutcome, 'ok'>, message?: string) => {
    const s = GATEWAY_STATUS[outcome];
    return { http: s.http, body: { status: s.status, message: message ?? s.message, response: null } };
  };
  // The platform posts forms only. Any other body is refused with 415 before the gateway
  // reads it, rather than parsed into fields the protocol never defined (or failing as a 500).
  app.removeAllContentTypeParsers();
  await app.register(formbody);
  app.addHook('preValidation', readMissingBodyAsEmpty);
  app.addHook('preValidation', refuseNulCharacters);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const mistake = clientMistake(error);
    if (mistake) {
      logClientMistake(request, error, mistake);
      return partnerRefusal.refuse(reply, mistake);
    }
    const failure = error.validation ? answer('missingParameter') : answer('internal');
    if (failure.body.status === -1) request.log.error({ err: error }, 'partner gateway failed');
    return reply.status(failure.http).send(failure.body);
  });

  app.withTypeProvider<TypeBoxTypeProvider>().post(
    PARTNER_GATEWAY_PATH,
    {
      schema: {
        tags: ['Marketplace partner gateway (family 4)'],
        summary: 'ua / call / args / sign / timestamp, form-encoded',
        description: CALLS_DESCRIPTION,
        consumes: ['application/x-www-form-urlencoded'],
        body: GatewayForm,
        response: GatewayAnswers,
      },
    },
    async (request, reply) => {
      const { ua = '', call = '', args = '', sign = '', timestamp = '' } = request.body;
      const now = ctx.clock.now();
      const result = await handle();
      await ctx.modules.partner.logCall({
        ua: ua || '-',
        call: call || '-',
        status: result.body.status,
        result: loggedResult(result.body.response),
        message: result.body.message,
        at: now,
      });
      return reply.status(result.http).send(result.body);

      async function handle() {
        if (!ua || !call || !args || !sign) return answer('missingParameter');
        const partner = await ctx.modules.partner.find(ua);
        if (!partner) return answer('unknownUa');
        if (!signaturesEqual(partnerSign(ua, partner.signkey, call, args), sign)) return answer('badSign');
        const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) * 1000 : Number.NaN;
        if (!(Math.abs(now - seconds) <= PARTNER_CLOCK_SKEW_MS)) return answer('staleTimestamp');
        if (!(await ctx.modules.partner.rememberSignature(ua, sign, now))) return answer('replay');
        // Own properties only: `call=valueOf` must not reach Object.prototype's methods.
        const handler = Object.hasOwn(PARTNER_CALLS, call) ? PARTNER_CALLS[call] : undefined;
        if (!handler) return answer('unknownCall');
        if (partner.calls !== '*' && !partner.calls.includes(call)) return answer('callNotAllowed');
        let parsed: unknown;
        try {
          parsed = JSON.parse(args);
        } catch {
          return answer('argsNotJson');
        }
        if (!isRawInput(parsed)) return answer('argsNotJson');
        // A `\u0000` in args parses to a character PostgreSQL cannot store: refused, not a 500.
        if (containsNul(parsed))
          return answer('argsInvalid', `${GATEWAY_STATUS.argsInvalid.message}：含有不允许的空字符（U+0000）`);
        try {
          return success(await handler.handle(parsed, ctx, ua));
        } catch (error) {
          if (!isDomainError(error)) throw error;
          const detail = error.fields.length ? error.fields.map((f) => f.error).join('；') : error.message;
          return answer(
            PARTNER_ERROR_OUTCOME[error.code],
            `${GATEWAY_STATUS[PARTNER_ERROR_OUTCOME[error.code]].message}：${detail}`,
          );
        }
      }
    },
  );
}
