import type { Readable } from 'node:stream';
import multipart, { type FastifyMultipartBaseOptions, type Multipart } from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isDomainError } from '../../../core/domain-error.js';
import { isRawInput } from '../../../core/field-reader.js';
import type { OrderPart } from '../../../modules/parking/index.js';
import { bodyNotObjectError, containsNul, nulCharacterError } from '../../shared/client-mistakes.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentOpenId } from '../auth.js';
import { returnCodeFailure } from '../envelope.js';
import { strict, TAGS, typed } from './shared.js';

const Str = (description: string) => Type.String({ description });

/** The order object of call 6's answer (omPrOrderRentOutVo), every value as the spec's example shows it. */
export const OrderRentOutVo = Type.Object(
  {
    omPrOrderId: Str('订单ID'),
    omPrCardId: Str('卡ID'),
    productName: Str('产品名称'),
    productId: Str('产品Id'),
    productVId: Str('产品版本Id'),
    userInfoId: Str('购买用户ID'),
    count: Str('购买个数'),
    startDt: Str('开始时间 (epoch ms)'),
    endDt: Str('结束时间 (epoch ms)'),
    amount: Str('订单金额 (元，两位小数)'),
    state: Str('支付状态 01下单成功 03已经支付 21已经申请退款 22已退款 81已经超时'),
    createDt: Str('创建时间 (epoch ms)'),
    isAuditBeforePay: Str('是否支付前审核 1是 0否'),
    auditStateBeforePay: Str('支付前审核状态 01未审核 02审核中 03已审核 04审核拒绝'),
    extraInfo: Type.Array(
      Type.Object(
        {
          type: Str('0文本 1图片'),
          name: Str('信息名称'),
          code: Str('信息编号'),
          content: Str('文本内容；图片为其地址 (/parking/api/order/file?…，本人可看)'),
        },
        strict,
      ),
      { description: '订单额外信息' },
    ),
    cardType: Str('卡类型 1VIP 2业主 3包月车'),
    isLink: Str('是否为多场联动订单 (1 否)'),
    paySucDt: Str('支付成功时间 (epoch ms；未支付为空)'),
    orderType: Str('订单类型 0首次购买 1续费'),
  },
  strict,
);

/** The pay and renewal calls' own failure: `{timestamp, returnCode: "F", returnMsg, isSuccess: "false", msg}`. */
export const ReturnCodeFailure = Type.Object(
  {
    timestamp: Str('响应时间 (epoch ms)'),
    returnCode: Type.Literal('F'),
    returnMsg: Str('响应描述 (同 msg)'),
    isSuccess: Type.Literal('false'),
    msg: Str('every bad field, joined by ；'),
  },
  strict,
);

const MALFORMED_FORM = 'FT_MALFORMED_MULTIPART';

/** What @fastify/multipart throws for a request beyond its limits or malformed, in the page's words. */
const MULTIPART_REFUSALS: Readonly<Record<string, string>> = {
  [MALFORMED_FORM]: '表单格式不正确',
  FST_FILES_LIMIT: '上传文件过多',
  FST_PARTS_LIMIT: '表单项过多',
  FST_FIELDS_LIMIT: '表单项过多',
  FST_PROTO_VIOLATION: '表单格式不正确',
  FST_INVALID_JSON_FIELD_ERROR: '表单格式不正确',
};

/**
 * The request as parts in arrival order: multipart as it streams, or a JSON/form body's fields (no
 * files). Each file part's stream is also put in `files`, for the route to tell a cut-off body.
 */
async function* partsOf(
  request: FastifyRequest,
  limits: { maxBytes: number; maxFiles: number },
  files: Readable[],
): AsyncGenerator<OrderPart> {
  if (!request.isMultipart()) {
    // The route has no body schema (a multipart body is read here): a JSON list or scalar is
    // refused whole, as the family's other calls refuse it, rather than read as no fields.
    if (!isRawInput(request.body)) throw bodyNotObjectError();
    for (const [name, value] of Object.entries(request.body)) {
      if (value === undefined || value === null) continue;
      yield { kind: 'field', name, value: typeof value === 'string' ? value : JSON.stringify(value) };
    }
    return;
  }
  const options: FastifyMultipartBaseOptions = {
    // One byte over the limit reaches storage, which refuses the file by name; the rest is skipped.
    limits: {
      fileSize: limits.maxBytes + 1,
      // Real files are counted against PARKING_UPLOAD_MAX_FILES by the order; empty slots come on top.
      files: limits.maxFiles + 16,
      fields: 40,
      fieldSize: 64 * 1024,
      parts: limits.maxFiles + 56,
    },
    throwFileSizeLimit: false,
  };
  let parts: AsyncIterator<Multipart>;
  try {
    parts = request.parts(options)[Symbol.asyncIterator]();
  } catch (error) {
    throw malformedForm(error);
  }
  for (;;) {
    let next: IteratorResult<Multipart>;
    try {
      next = await parts.next();
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw code && MULTIPART_REFUSALS[code] ? error : malformedForm(error);
    }
    if (next.done) return;
    const part = next.value;
    // The JSON and form bodies are searched by the family's hook; a multipart body is read here.
    const value = part.type === 'file' ? part.filename : String(part.value ?? '');
    if (containsNul(part.fieldname) || containsNul(value)) throw nulCharacterError();
    if (part.type === 'file') {
      files.push(part.file);
      yield { kind: 'file', name: part.fieldname, filename: part.filename, stream: part.file };
    } else yield { kind: 'field', name: part.fieldname, value };
  }
}

/** The parser could not read the body to its end (no boundary, cut off): the call's 表单格式不正确. */
function malformedForm(cause: unknown): Error {
  return Object.assign(new Error('the multipart body cannot be read', { cause }), { code: MALFORMED_FORM });
}

/**
 * POST /parking/api/order/renew (call 6, 续费购买车位下单): multipart with the spec's text fields,
 * `extraDataJson` (a JSON string) and `files` in extra-info order (an empty slot is a part named
 * rentForBeiLiGongTempPic with no content). Each file streams to storage, judged by its content
 * (JPEG/PNG/PDF) within PARKING_UPLOAD_MAX_BYTES; when anything fails no file of the request stays.
 * Answers the spec's `{returnCode: "T", returnMsg: "OK", isSuccess: "true", omPrOrderRentOutVo}`.
 */
export function orderRenewRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.register(async (scope) => {
    await scope.register(multipart);
    typed(scope).post(
      '/parking/api/order/renew',
      {
        // Every refusal, the family's error handler's included, in this call's own shape.
        config: { parkingReturnCode: true },
        schema: {
          tags: TAGS,
          summary: '续费购买车位下单 (multipart: fields, extraDataJson, files)',
          consumes: ['multipart/form-data', 'application/json', 'application/x-www-form-urlencoded'],
          response: {
            200: Type.Union([
              Type.Object(
                {
                  timestamp: Str('响应时间 (epoch ms)'),
                  returnCode: Type.Literal('T'),
                  msg: Str('续费购买成功'),
                  returnMsg: Type.Literal('OK'),
                  isSuccess: Type.Literal('true'),
                  omPrOrderRentOutVo: OrderRentOutVo,
                },
                strict,
              ),
              ReturnCodeFailure,
            ]),
            default: ReturnCodeFailure,
          },
        },
      },
      async (request, reply) => {
        const orders = ctx.modules.parkingOrders;
        // The request's file parts: one closed before its end means the body broke off there.
        const files: Readable[] = [];
        try {
          const order = await orders.place(
            currentOpenId(request),
            partsOf(request, orders.uploads, files),
            ctx.clock.now(),
          );
          const now = ctx.clock.now();
          return {
            timestamp: String(now),
            returnCode: 'T' as const,
            msg: order.auditStateBeforePay === '02' ? '下单成功，等待审核' : '续费购买成功',
            returnMsg: 'OK' as const,
            isSuccess: 'true' as const,
            omPrOrderRentOutVo: order,
          };
        } catch (error) {
          // Whatever a reader of a cut-off file then fails with, the request's fault is its body.
          const brokeOff = !isDomainError(error) && files.some((f) => f.destroyed && !f.readableEnded);
          const code = brokeOff ? MALFORMED_FORM : (error as { code?: string }).code;
          const refusal = code ? MULTIPART_REFUSALS[code] : undefined;
          if (refusal) return reply.status(200).send(returnCodeFailure(ctx.clock.now(), refusal));
          throw error;
        }
      },
    );
  });
}
