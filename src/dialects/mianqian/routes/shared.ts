import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RawInput } from '../../../core/field-reader.js';
import { PAGING_FIELDS } from '../../../core/paging.js';
import { formatShanghaiDateTime } from '../../../core/time.js';
import {
  type FormSave,
  readSonOrderId,
  TRANSITION_FIELDS,
  type Transition,
} from '../../../modules/loan-orders/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { BACK_OFFICE_QUERY_FIELDS } from '../back-office-labels.js';
import { ok } from '../envelope.js';
import { Failure, FormValue, SonOrderIdField, Success } from '../schemas.js';
import { TransitionResultView } from '../views.js';

export { StaffView } from '../views.js';

/** What several family-1 route files share: tags, response schemas and the handlers they repeat. */

/** One route file per endpoint; each registers its route(s) on the scope it is given. */
export type RouteFile = (app: FastifyInstance, ctx: DialectContext) => void;

/** The scope a route file registers on: request parts typed from the route's schema. */
export const typed = (app: FastifyInstance) => app.withTypeProvider<TypeBoxTypeProvider>();

export const WORKBENCH_TAGS = ['面签 workbench (family 1)'];
export const LOAN_ORDER_TAGS = ['Back-office loan orders'];
export const STAFF_TAGS = ['Back-office staff'];
export const AUTH_TAGS = ['Back-office auth'];
export const PARTNER_TAGS = ['Back-office: marketplace partners (admin)'];

const Saved = Success(Type.Null());
/** The workbench's answer: `data` (null for a save or a move) or the failure envelope. */
export const workbenchResponses = (data: TSchema = Saved) => ({ 200: Type.Union([data, Failure]) });

/** The back-office API's answer: success with `data` (null when it only says done), or the failure envelope. */
export const backOfficeResponses = (data: TSchema = Type.Null()) => ({
  200: Type.Union([Success(data), Failure]),
});

/** A record's numeric id in the path. */
export const RecordIdParams = Type.Object({
  id: Type.String({ pattern: '^[1-9][0-9]{0,14}$', maxLength: 15, description: BACK_OFFICE_QUERY_FIELDS.id }),
});

/** `page` and `page_size` of the offset-paged lists, checked by the module (`readPaging`). */
export const PagingQuery = Type.Object({
  page: Type.Optional(Type.String({ maxLength: 6, description: PAGING_FIELDS.page })),
  page_size: Type.Optional(
    Type.String({ maxLength: 3, description: `${PAGING_FIELDS.page_size}（最多100）` }),
  ),
});

export const SonOrderIdParams = Type.Object({
  son_order_id: Type.String({ maxLength: 20, description: SonOrderIdField.description }),
});

export const TransitionBody = Type.Optional(
  Type.Object(
    {
      reason: FormValue(1000, TRANSITION_FIELDS.reason),
      bad_record: FormValue(1, BACK_OFFICE_QUERY_FIELDS.bad_record),
    },
    { additionalProperties: true },
  ),
);

/** Where the order stands after a back-office move. */
export const transitionResponses = backOfficeResponses(TransitionResultView);

export const shanghaiTime = (ms: number | null) => (ms === null ? null : formatShanghaiDateTime(ms));

/** Query and body together, for the routes that answer GET and POST alike. */
export const queryAndBody = (query: RawInput, body: RawInput | undefined): RawInput => ({
  ...query,
  ...(body ?? {}),
});

const isBadRecord = (body: RawInput) => body.bad_record === 1 || body.bad_record === '1';

/** A 面签 workbench save: reads the order number and hands the form to the module's save. */
export function saveAtMianqian(ctx: DialectContext, save: FormSave) {
  return async (request: FastifyRequest, body: RawInput) => {
    await save(currentStaff(request), readSonOrderId(body), body, ctx.clock.now());
    return ok(null, '保存成功');
  };
}

/** A 面签 workbench pass / stop / return: `mianqian_suggest` is kept as the reason. */
export function moveAtMianqian(ctx: DialectContext, transition: Transition, done: string) {
  return async (request: FastifyRequest, body: RawInput) => {
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

/**
 * A back-office pass / return / stop route at `path`, at the order's current stage (needs that
 * stage's role). Each transition keeps its own file, which names its URL.
 */
export function stageMoveRoute(path: string, transition: Transition): RouteFile {
  return (app, ctx) => {
    typed(app).post(
      path,
      {
        schema: {
          tags: LOAN_ORDER_TAGS,
          summary: `${transition} the order at its current stage (needs that stage's role)`,
          params: SonOrderIdParams,
          body: TransitionBody,
          response: transitionResponses,
        },
      },
      async (request) => {
        const form: RawInput = request.body ?? {};
        const reason = typeof form.reason === 'string' ? form.reason : undefined;
        return ok(
          await ctx.modules.loanOrders.moveAtItsStage(
            currentStaff(request),
            // A stop may be marked as for cause: the marketplace check then reports a bad record.
            { sonOrderId: readSonOrderId(request.params), transition, reason, badRecord: isBadRecord(form) },
            ctx.clock.now(),
          ),
        );
      },
    );
  };
}
