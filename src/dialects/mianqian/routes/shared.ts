import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RawInput } from '../../../core/field-reader.js';
import { formatShanghaiDateTime } from '../../../core/time.js';
import { type FormSave, readSonOrderId, type Transition } from '../../../modules/loan-orders/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { Failure, FormValue, Success } from '../schemas.js';

/** What several family-1 route files share: tags, response schemas and the handlers they repeat. */

/** One route file per endpoint; each registers its route(s) on the scope it is given. */
export type RouteFile = (app: FastifyInstance, ctx: DialectContext) => void;

export const WORKBENCH_TAGS = ['面签 workbench (family 1)'];
export const LOAN_ORDER_TAGS = ['Back-office loan orders'];
export const STAFF_TAGS = ['Back-office staff'];
export const AUTH_TAGS = ['Back-office auth'];
export const PARTNER_TAGS = ['Back-office: marketplace partners (admin)'];

/** A staff account as login and /api/auth/me show it. */
export const StaffView = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  display_name: Type.String(),
  roles: Type.Array(Type.String()),
});

const Saved = Success(Type.Null());
/** The workbench's answer: `data` (null for a save or a move) or the failure envelope. */
export const workbenchResponses = (data: TSchema = Saved) => ({ 200: Type.Union([data, Failure]) });

export const ANY = Type.Object({}, { additionalProperties: true });
/** The back-office API's answer: success with `data`, or the failure envelope. */
export const backOfficeResponses = (data: TSchema = ANY) => ({
  200: Type.Union([Success(data), Failure]),
});

export const SonOrderIdParams = Type.Object({ son_order_id: Type.String({ maxLength: 20 }) });

export const TransitionBody = Type.Optional(
  Type.Object({ reason: FormValue(1000), bad_record: FormValue(1) }, { additionalProperties: true }),
);

export const shanghaiTime = (ms: number | null) => (ms === null ? null : formatShanghaiDateTime(ms));

/** Query and body together, for the routes that answer GET and POST alike. */
export const queryAndBody = (request: FastifyRequest): RawInput => ({
  ...(request.query as RawInput),
  ...((request.body as RawInput | undefined) ?? {}),
});

const isBadRecord = (body: RawInput) => body.bad_record === 1 || body.bad_record === '1';

/** A 面签 workbench save: reads the order number and hands the form to the module's save. */
export function saveAtMianqian(ctx: DialectContext, save: FormSave) {
  return async (request: FastifyRequest) => {
    const body = request.body as RawInput;
    await save(currentStaff(request), readSonOrderId(body), body, ctx.clock.now());
    return ok(null, '保存成功');
  };
}

/** A 面签 workbench pass / stop / return: `mianqian_suggest` is kept as the reason. */
export function moveAtMianqian(ctx: DialectContext, transition: Transition, done: string) {
  return async (request: FastifyRequest) => {
    const body = request.body as RawInput;
    const reason = typeof body.mianqian_suggest === 'string' ? body.mianqian_suggest : undefined;
    await ctx.modules.loanOrders.move(
      currentStaff(request),
      {
        sonOrderId: readSonOrderId(body),
        stage: 'mianqian',
        transition,
        reason,
        badRecord: isBadRecord(body),
      },
      ctx.clock.now(),
    );
    return ok(null, `${done}成功`);
  };
}

/** A back-office pass / return / stop at the order's current stage (needs that stage's role). */
export function moveAtItsStage(ctx: DialectContext, transition: Transition) {
  return async (request: FastifyRequest) => {
    const sonOrderId = readSonOrderId(request.params as RawInput);
    const body = (request.body ?? {}) as RawInput;
    const reason = typeof body.reason === 'string' ? body.reason : undefined;
    return ok(
      await ctx.modules.loanOrders.moveAtItsStage(
        currentStaff(request),
        // A stop may be marked as for cause: the marketplace check then reports a bad record.
        { sonOrderId, transition, reason, badRecord: isBadRecord(body) },
        ctx.clock.now(),
      ),
    );
  };
}
