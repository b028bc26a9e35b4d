import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../../core/domain-error.js';
import type { RawInput } from '../../../core/field-reader.js';
import { formatShanghaiDateTime } from '../../../core/time.js';
import { listAuditFor } from '../../../modules/audit/index.js';
import {
  createOrder,
  isStage,
  listStageQueue,
  moveOrderAtItsStage,
  readSonOrderId,
  STAGES,
  type Transition,
} from '../../../modules/loan-orders/index.js';
import { createStaff, listStaffMembers } from '../../../modules/staff/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff, requireAdmin } from '../auth.js';
import { ok } from '../envelope.js';
import { Failure, FormValue, Success } from '../schemas.js';

const ANY = Type.Object({}, { additionalProperties: true });
const answer = (data: TSchema = ANY) => ({ 200: Type.Union([Success(data), Failure]) });
const time = (ms: number | null) => (ms === null ? null : formatShanghaiDateTime(ms));

/**
 * What the spec assumes but does not show: staff of the other stages open orders at 客服 and
 * move them along, and an admin manages accounts. Same envelope as the rest of family 1.
 */
export function backOfficeRoutes(app: FastifyInstance, ctx: DialectContext): void {
  const deps = { db: ctx.db, pii: ctx.pii };

  app.post(
    '/api/loan-orders',
    {
      schema: {
        tags: ['Back-office loan orders'],
        summary: '客服 opens an order',
        body: Type.Object(
          {
            order_type: FormValue(1),
            city: FormValue(10),
            appointment_time: FormValue(19),
            customer_name: FormValue(30),
            user_realname: FormValue(20),
            user_mobile: FormValue(20),
          },
          { additionalProperties: true },
        ),
        response: answer(Type.Object({ son_order_id: Type.String() })),
      },
    },
    async (request) =>
      ok(
        await createOrder(deps, currentStaff(request), request.body as RawInput, ctx.clock.now()),
        '创建成功',
      ),
  );

  app.get(
    '/api/loan-orders',
    {
      schema: {
        tags: ['Back-office loan orders'],
        summary: 'The open orders waiting at a stage (the caller must hold that stage role)',
        querystring: Type.Object({ stage: Type.String({ enum: [...STAGES] }), page_num: FormValue(7) }),
        response: answer(),
      },
    },
    async (request) => {
      const query = request.query as RawInput & { stage: string };
      if (!isStage(query.stage))
        throw DomainError.validation([{ field: 'stage', error: '阶段不在可选范围内' }]);
      const page = await listStageQueue(deps, currentStaff(request), query.stage, query);
      return ok({
        total: page.total,
        page_count: page.page_count,
        order_list: page.rows.map((row) => ({
          ...row,
          appointment_time: time(row.appointment_time),
          created_at: time(row.created_at),
        })),
      });
    },
  );

  for (const transition of ['pass', 'return_kefu', 'stop'] as const satisfies readonly Transition[]) {
    app.post(
      `/api/loan-orders/:son_order_id/${transition}`,
      {
        schema: {
          tags: ['Back-office loan orders'],
          summary: `${transition} the order at its current stage (needs that stage's role)`,
          params: Type.Object({ son_order_id: Type.String({ maxLength: 20 }) }),
          body: Type.Optional(
            Type.Object(
              { reason: FormValue(1000), bad_record: FormValue(1) },
              { additionalProperties: true },
            ),
          ),
          response: answer(),
        },
      },
      async (request) => {
        const sonOrderId = readSonOrderId(request.params as RawInput);
        const body = (request.body ?? {}) as RawInput;
        const reason = typeof body.reason === 'string' ? body.reason : undefined;
        return ok(
          await moveOrderAtItsStage(
            deps,
            currentStaff(request),
            // A stop may be marked as for cause: the marketplace check then reports a bad record.
            { sonOrderId, transition, reason, badRecord: body.bad_record === 1 || body.bad_record === '1' },
            ctx.clock.now(),
          ),
        );
      },
    );
  }

  app.get(
    '/api/loan-orders/:son_order_id/audit',
    {
      schema: {
        tags: ['Back-office loan orders'],
        summary: 'The audit trail of an order: who moved it, when, from where to where, why',
        params: Type.Object({ son_order_id: Type.String({ maxLength: 20 }) }),
        response: answer(),
      },
    },
    async (request) => {
      const sonOrderId = readSonOrderId(request.params as RawInput);
      const rows = await listAuditFor(ctx.db, 'loan_order', sonOrderId);
      return ok({
        audit: rows.map((row) => ({ ...row, id: Number(row.id), created_at: time(row.created_at) })),
      });
    },
  );

  app.get(
    '/api/staff',
    { schema: { tags: ['Back-office staff'], summary: 'List accounts (admin)', response: answer() } },
    async (request) => {
      requireAdmin(currentStaff(request));
      return ok({ staff: await listStaffMembers(ctx.db) });
    },
  );

  app.post(
    '/api/staff',
    {
      schema: {
        tags: ['Back-office staff'],
        summary: 'Create an account with roles (admin)',
        body: Type.Object({
          username: FormValue(32),
          password: FormValue(128),
          display_name: FormValue(30),
          roles: Type.Union([
            Type.Array(Type.String({ maxLength: 16 }), { maxItems: 7 }),
            Type.String({ maxLength: 120 }),
          ]),
        }),
        response: answer(),
      },
    },
    async (request) => {
      const staff = currentStaff(request);
      requireAdmin(staff);
      const body = request.body as {
        username?: unknown;
        password?: unknown;
        display_name?: unknown;
        roles: string[] | string;
      };
      const created = await createStaff(
        ctx.db,
        {
          username: String(body.username ?? ''),
          password: String(body.password ?? ''),
          displayName: typeof body.display_name === 'string' ? body.display_name : undefined,
          roles: Array.isArray(body.roles) ? body.roles : body.roles.split(','),
        },
        ctx.clock.now(),
        `staff:${staff.id}`,
      );
      return ok(created, '创建成功');
    },
  );
}
