import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { escrowPagesRefusal, topRefusal } from '../dialects/escrow/index.js';
import { mianqianRefusal } from '../dialects/mianqian/index.js';
import { parkingRefusal } from '../dialects/parking/index.js';
import { partnerRefusal } from '../dialects/partner/index.js';
import { wechatNotifyRefusal } from '../dialects/payments/payments.wechat.notify.route.js';
import { wechatV3NotifyRefusal } from '../dialects/payments/payments.wechat.v3.notify.route.js';
import { rentalRefusal } from '../dialects/rental/index.js';
import {
  type ClientMistake,
  clientMistake,
  type FamilyRefusal,
  logClientMistake,
  NOT_FOUND,
} from '../dialects/shared/client-mistakes.js';

/**
 * Refusals made outside any route (an unknown URL, one Fastify cannot decode) speak the
 * envelope of the family whose URL it is; the v3 notify comes before the v2 one, whose prefix
 * contains it.
 */
const FAMILIES: readonly FamilyRefusal[] = [
  mianqianRefusal,
  rentalRefusal,
  partnerRefusal,
  topRefusal,
  escrowPagesRefusal,
  parkingRefusal,
  wechatV3NotifyRefusal,
  wechatNotifyRefusal,
];

export const neutralRefusal = (reply: FastifyReply, mistake: ClientMistake) =>
  reply.status(mistake.status).send({ code: mistake.status, msg: mistake.message });

export function refuseByUrl(
  request: FastifyRequest,
  reply: FastifyReply,
  mistake: ClientMistake,
): FastifyReply {
  const family = FAMILIES.find((f) => f.prefixes.some((p) => request.url.startsWith(p)));
  return family ? family.refuse(reply, mistake) : neutralRefusal(reply, mistake);
}

export const INTERNAL_ERROR: ClientMistake = { status: 500, message: '服务器内部错误' };

/**
 * Fastify's router refuses a URL it cannot decode or a path parameter over maxParamLength
 * before any hook runs, so this sets the request id the onRequest hook would have.
 */
export function refuseUnroutable(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-request-id', request.id);
  const mistake = clientMistake(error);
  if (mistake) {
    logClientMistake(request, error, mistake);
    refuseByUrl(request, reply, mistake);
    return;
  }
  request.log.error({ err: error }, 'router failed');
  neutralRefusal(reply, INTERNAL_ERROR);
}

const MALFORMED: Readonly<Record<string, ClientMistake>> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: '请求超时' },
  HPE_HEADER_OVERFLOW: { status: 431, message: '请求头过大' },
};

/**
 * HTTP that Node cannot parse never becomes a request: no hook, no family, no logger binding.
 * Answered as Fastify's own handler does, but with a request id and a Chinese neutral body.
 */
export function refuseMalformedHttp(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const mistake = (error.code && MALFORMED[error.code]) || { status: 400, message: '请求无法解析' };
  const body = JSON.stringify({ code: mistake.status, msg: mistake.message });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${mistake.status} ${STATUS_CODES[mistake.status]}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `x-request-id: ${randomUUID()}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/**
 * The app's own routes and the 404 route (whose body Fastify parses before it knows the URL is
 * unknown); each family's routes have their own handler.
 */
export function refuseOutsideFamilies(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const mistake = request.is404
    ? NOT_FOUND
    : (clientMistake(error) ?? (error.validation ? { status: 400, message: '请求参数不正确' } : undefined));
  if (mistake) {
    logClientMistake(request, error, mistake);
    return refuseByUrl(request, reply, mistake);
  }
  request.log.error({ err: error }, 'unhandled error');
  return neutralRefusal(reply, INTERNAL_ERROR);
}
