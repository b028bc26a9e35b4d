import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { backOfficeResponses, shanghaiTime, typed } from './shared.js';

export const ISV_TAGS = ['Back-office: escrow ISVs (admin)'];

const Scope = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer>>(
  item: T,
  description: string,
) => Type.Union([Type.Literal('*'), Type.Array(item, { maxItems: 50 })], { description });

export const CreateIsvRequest = Type.Object({
  app_key: Type.String({ maxLength: 64, description: '应用标识 app_key' }),
  secret: Type.String({ maxLength: 128, description: '应用密钥（只在创建时出现，加密保存）' }),
  methods: Scope(Type.String({ maxLength: 128 }), '可调用的方法（*为全部）'),
  store_ids: Scope(Type.Integer({ minimum: 1 }), '可代理的门店ID（*为全部）'),
  callback_url: Type.Optional(Type.String({ maxLength: 300, description: '通知回调地址' })),
});

const IsvView = Type.Object({
  id: Type.Integer(),
  app_key: Type.String(),
  methods: Type.Union([Type.Literal('*'), Type.Array(Type.String())]),
  store_ids: Type.Union([Type.Literal('*'), Type.Array(Type.Integer())]),
  callback_url: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
  created_at: Type.String(),
});

/** GET /api/escrow-isvs lists family 3's ISVs (never their secrets); POST registers one. Admin only. */
export function apiEscrowIsvsRoute(app: FastifyInstance, ctx: DialectContext): void {
  const api = typed(app);
  api.get(
    '/api/escrow-isvs',
    {
      schema: {
        tags: ISV_TAGS,
        summary: 'List escrow ISVs (secrets are never shown)',
        response: backOfficeResponses(Type.Object({ isvs: Type.Array(IsvView) })),
      },
    },
    async () =>
      ok({
        isvs: (await ctx.modules.escrow.isvs.list()).map((isv) => ({
          id: isv.id,
          app_key: isv.appKey,
          methods: isv.methods === '*' ? ('*' as const) : [...isv.methods],
          store_ids: isv.storeIds === '*' ? ('*' as const) : [...isv.storeIds],
          callback_url: isv.callbackUrl,
          active: isv.active,
          created_at: shanghaiTime(isv.createdAt) ?? '',
        })),
      }),
  );

  api.post(
    '/api/escrow-isvs',
    {
      schema: {
        tags: ISV_TAGS,
        summary:
          'Register an ISV: app_key, secret, the methods it may call and the stores it may act for (or *)',
        body: CreateIsvRequest,
        response: backOfficeResponses(Type.Object({ id: Type.Integer(), app_key: Type.String() })),
      },
    },
    async (request) => {
      const { body } = request;
      const created = await ctx.modules.escrow.isvs.create(
        {
          appKey: body.app_key,
          secret: body.secret,
          methods: body.methods,
          storeIds: body.store_ids,
          callbackUrl: body.callback_url,
        },
        ctx.clock.now(),
        `staff:${currentStaff(request).id}`,
      );
      return ok({ id: created.id, app_key: created.appKey }, '创建成功');
    },
  );
}
