import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError } from '../../core/domain-error.js';
import { type EscrowIsv, isvMayCall } from '../../modules/escrow/index.js';
import { ReplayedRequest } from '../../platform/replay/signature-memory.js';
import { readTopRequest, type TopError, type TopFormat } from '../../platform/top/top-request.js';
import {
  newTopRequestId,
  renderTopError,
  renderTopSuccess,
  type TopBody,
  type TopObject,
} from '../../platform/top/top-response.js';
import { clientMistake, type FamilyRefusal, logClientMistake } from '../shared/client-mistakes.js';
import type { DialectContext } from '../shared/dialect-context.js';
import { TOP_METHODS } from './methods/index.js';
import { argumentsError, ESCROW_OUTCOME, TOP_RESULT_OK } from './top-outcomes.js';

/** TOP's one entry: every method is a `method` parameter of it. */
export const ROUTER_REST_PATH = '/router/rest';

const METHOD_NAMES: ReadonlySet<string> = new Set(TOP_METHODS.keys());

const REPLAYED: TopError = {
  code: 25,
  msg: 'Invalid signature',
  sub_code: 'isv.duplicate-request',
  sub_msg: '重复的请求：该签名已使用过',
};
const NOT_PERMITTED: TopError = {
  code: 11,
  msg: 'Insufficient isv permissions',
  sub_code: 'isv.permission-denied',
  sub_msg: '该应用无权调用此接口',
};
const UNKNOWN_ERROR: TopError = {
  code: 15,
  msg: 'Remote service error',
  sub_code: 'isp.unknown-error',
  sub_msg: '系统繁忙，请稍后重试',
};

const send = (reply: FastifyReply, body: TopBody, status = 200) =>
  reply.status(status).type(body.contentType).send(body.body);

/** Refusals made before the route reads a parameter (unknown URL, unreadable body) speak TOP's JSON error. */
export const topRefusal: FamilyRefusal = {
  prefixes: ['/router/'],
  refuse: (reply, mistake) =>
    send(
      reply,
      renderTopError(
        { code: 41, msg: 'Invalid arguments', sub_code: 'isv.invalid-request', sub_msg: mistake.message },
        { format: 'json', requestId: newTopRequestId() },
      ),
      mistake.status,
    ),
};

/** Parameters from the query and a form body alike, as TOP accepts both; a repeated one counts once. */
function parameters(request: FastifyRequest): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const source of [request.query, request.body]) {
    if (typeof source !== 'object' || source === null) continue;
    for (const [name, value] of Object.entries(source)) {
      const first = Array.isArray(value) ? value[0] : value;
      if (typeof first === 'string') out[name] = first;
    }
  }
  return out;
}

/**
 * GET or POST /router/rest: family 3's TOP gateway. The protocol is checked first (method,
 * format, version, app key, timestamp, signature: platform/top/top-request.ts), then the
 * signature may not have been used before, the ISV must be allowed the method, and the method
 * reads its own parameters. Every call is logged without its parameters.
 */
export function routerRestRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const mistake = clientMistake(error);
    if (mistake) {
      logClientMistake(request, error, mistake);
      return topRefusal.refuse(reply, mistake);
    }
    request.log.error({ err: error }, 'TOP gateway failed');
    return send(reply, renderTopError(UNKNOWN_ERROR, { format: 'json', requestId: newTopRequestId() }), 500);
  });

  app.route({
    method: ['GET', 'POST'],
    url: ROUTER_REST_PATH,
    schema: {
      tags: ['Escrow TOP gateway (family 3)'],
      summary:
        'TOP protocol: method, app_key, timestamp, v, sign_method, sign, format, simplify + business parameters',
      consumes: ['application/x-www-form-urlencoded'],
    },
    handler: async (request, reply) => {
      const now = ctx.clock.now();
      const requestId = newTopRequestId();
      let isv: EscrowIsv | undefined;
      const top = await readTopRequest(parameters(request), {
        now,
        knownMethods: METHOD_NAMES,
        secretOf: async (appKey) => {
          isv = await ctx.modules.escrow.isvs.find(appKey);
          return isv?.secret;
        },
      });
      const answer = async (format: TopFormat, simplify: boolean): Promise<[TopBody, string]> => {
        if (!top.ok) return [renderTopError(top.error, { format, requestId }), String(top.error.code)];
        const refuse = (error: TopError): [TopBody, string] => [
          renderTopError(error, { format, requestId }),
          String(error.code),
        ];
        if (!isv) return refuse(UNKNOWN_ERROR);
        const signature = ctx.modules.escrow.signature(top.appKey, top.params.sign ?? '', now);
        // A call refused before it runs spends its signature on its own, so that a replay of it
        // is told it is one; a call that runs spends it in what it does.
        const spentAlone = () =>
          signature.spend().then(
            () => true,
            (error) => (error instanceof ReplayedRequest ? false : Promise.reject(error)),
          );
        const method = TOP_METHODS.get(top.method);
        const input = method?.input(top.params);
        if (!method || !input?.ok || !isvMayCall(isv, top.method)) {
          if (!(await spentAlone())) return refuse(REPLAYED);
          if (!isvMayCall(isv, top.method)) return refuse(NOT_PERMITTED);
          if (!method || !input) return refuse(UNKNOWN_ERROR);
          if (!input.ok) return refuse(input.error);
        }
        const success = (result: TopObject, code: string): [TopBody, string] => [
          renderTopSuccess(top.method, { result }, { format, simplify, requestId }),
          code,
        ];
        try {
          const data = await method.run(ctx, isv, input.input, now, signature);
          return success({ ...TOP_RESULT_OK, data }, TOP_RESULT_OK.code);
        } catch (error) {
          if (error instanceof ReplayedRequest) return refuse(REPLAYED);
          if (!isDomainError(error)) throw error;
          // A refusal rolled back what the call wrote, its spent signature with it.
          if (!(await spentAlone())) return refuse(REPLAYED);
          const outcome = ESCROW_OUTCOME[error.code];
          if (outcome === 'arguments') return refuse(argumentsError(error));
          if ('result' in outcome)
            return success(
              { code: outcome.result, message: error.message, is_success: false },
              outcome.result,
            );
          return refuse({ ...outcome.error, sub_msg: error.message });
        }
      };
      const [body, code] = await answer(top.format, top.simplify);
      await ctx.modules.escrow.logCall({
        appKey: top.ok ? top.appKey : (parameters(request).app_key ?? '-').slice(0, 64),
        method: (top.ok ? top.method : (parameters(request).method ?? '-')).slice(0, 128),
        code,
        at: now,
      });
      return send(reply, body);
    },
  });
}
