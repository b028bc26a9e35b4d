import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { RawInput } from '../../../core/field-reader.js';
import { formatShanghaiDateTime } from '../../../core/time.js';
import { listCallbacks } from '../../../modules/outbox/index.js';
import {
  addToBlacklist,
  createPartner,
  listBlacklist,
  listPartners,
  readRules,
  saveRules,
} from '../../../modules/partner/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff, requireAdmin } from '../auth.js';
import { ok } from '../envelope.js';
import { Failure, Success } from '../schemas.js';

const TAGS = ['Back-office: marketplace partners (admin)'];
const ANY = Type.Object({}, { additionalProperties: true });
const answer = { 200: Type.Union([Success(ANY), Failure]) };
const time = (ms: number | null) => (ms === null ? null : formatShanghaiDateTime(ms));

/** Admin management of family 4: partners and their keys, admission rules, blacklist, callbacks. */
export function partnerAdminRoutes(app: FastifyInstance, ctx: DialectContext): void {
  app.addHook('preHandler', async (request) => requireAdmin(currentStaff(request)));

  app.get(
    '/api/partners',
    { schema: { tags: TAGS, summary: 'List partners (keys are never shown)', response: answer } },
    async () => ok({ partners: await listPartners(ctx.db) }),
  );

  app.post(
    '/api/partners',
    {
      schema: {
        tags: TAGS,
        summary: 'Add a partner: ua, signkey, the calls it may make (or *), its callback URL',
        body: Type.Object({
          ua: Type.String({ maxLength: 64 }),
          signkey: Type.String({ maxLength: 128 }),
          calls: Type.Union([
            Type.Literal('*'),
            Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20 }),
          ]),
          callback_url: Type.Optional(Type.String({ maxLength: 300 })),
        }),
        response: answer,
      },
    },
    async (request) => {
      const body = request.body as {
        ua: string;
        signkey: string;
        calls: '*' | string[];
        callback_url?: string;
      };
      const staff = currentStaff(request);
      return ok(
        await createPartner(
          ctx,
          { ua: body.ua, signkey: body.signkey, calls: body.calls, callbackUrl: body.callback_url },
          ctx.clock.now(),
          `staff:${staff.id}`,
        ),
        '创建成功',
      );
    },
  );

  app.get(
    '/api/partner-rules',
    { schema: { tags: TAGS, summary: 'The admission rules and product in force', response: answer } },
    async () => ok(await readRules(ctx.db)),
  );

  app.put(
    '/api/partner-rules',
    {
      schema: { tags: TAGS, summary: 'Replace the admission rules and product', body: ANY, response: answer },
    },
    async (request) =>
      ok(
        await saveRules(
          ctx.db,
          request.body as RawInput,
          ctx.clock.now(),
          `staff:${currentStaff(request).id}`,
        ),
        '保存成功',
      ),
  );

  app.get(
    '/api/partner-blacklist',
    { schema: { tags: TAGS, summary: 'Blacklist entries (hashes only)', response: answer } },
    async () =>
      ok({ entries: (await listBlacklist(ctx.db)).map((e) => ({ ...e, created_at: time(e.created_at) })) }),
  );

  app.post(
    '/api/partner-blacklist',
    {
      schema: {
        tags: TAGS,
        summary: 'Blacklist a person by ID number (and mobile, to match the marketplace md5)',
        body: Type.Object({
          id_card: Type.String({ maxLength: 18 }),
          mobile: Type.Optional(Type.String({ maxLength: 20 })),
          reason: Type.String({ maxLength: 200 }),
        }),
        response: answer,
      },
    },
    async (request) => {
      await addToBlacklist(
        ctx,
        request.body as RawInput,
        ctx.clock.now(),
        `staff:${currentStaff(request).id}`,
      );
      return ok(null, '已加入黑名单');
    },
  );

  app.get(
    '/api/partner-callbacks',
    {
      schema: {
        tags: TAGS,
        summary: 'Callbacks to the platform with their attempts (status: pending | delivered | dead)',
        querystring: Type.Object({
          status: Type.Optional(
            Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('dead')]),
          ),
        }),
        response: answer,
      },
    },
    async (request) => {
      const { status } = request.query as { status?: string };
      const rows = await listCallbacks(ctx.db, status);
      return ok({
        callbacks: rows.map((row) => ({
          ...row,
          args: JSON.parse(row.args) as unknown,
          created_at: time(row.created_at),
          delivered_at: time(row.delivered_at),
          next_attempt_at: time(row.next_attempt_at),
        })),
      });
    },
  );
}
