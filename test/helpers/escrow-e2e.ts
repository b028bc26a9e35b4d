import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/config.js';
import { formatShanghaiDateTime } from '../../src/core/time.js';
import { topSign } from '../../src/core/top-sign.js';
import { WechatPayV3Sandbox } from '../../src/platform/wechat-pay/sandbox-v3.js';
import { createRequest } from '../modules/escrow/escrow-fixtures.js';
import { eventually, type ServerProcess } from './server-process.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, read by the assertions
export type Answer = { status: number; body: any };

/**
 * One HTTP call to a real server, optionally from another loopback address (127.0.0.x): the
 * server sees that address as the client's, as it would see distinct clients, so the per-address
 * SMS limit (10 a minute) counts each party's page on its own device.
 */
export function httpCall(
  url: string,
  options: {
    method?: 'GET' | 'POST';
    json?: unknown;
    form?: Record<string, string>;
    headers?: Record<string, string>;
    localAddress?: string;
  } = {},
): Promise<Answer> {
  const body =
    options.form !== undefined
      ? new URLSearchParams(options.form).toString()
      : options.json !== undefined
        ? JSON.stringify(options.json)
        : undefined;
  const headers: Record<string, string> = { ...options.headers };
  if (body !== undefined) {
    headers['content-type'] =
      options.form !== undefined ? 'application/x-www-form-urlencoded' : 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: options.method ?? (body === undefined ? 'GET' : 'POST'),
        headers,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        timeout: 30_000,
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => {
          try {
            resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) });
          } catch {
            reject(new Error(`${url} answered ${response.statusCode} with no JSON: ${text.slice(0, 500)}`));
          }
        });
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${url} did not answer within 30 s`)));
    request.on('error', reject);
    if (body !== undefined) request.write(body);
    request.end();
  });
}

/**
 * The escrow acceptance code a phone was sent: with SMS_PROVIDER=log the server writes the
 * template's text, masked phone and all, to its log. Phones must differ in their first 8 digits
 * for their masks to differ.
 */
export async function escrowCodeSentTo(servers: readonly ServerProcess[], mobile: string): Promise<string> {
  const masked = `${mobile.slice(0, -3)}***`;
  return eventually(
    async () => {
      const line = servers
        .flatMap((server) => server.lines)
        .reverse()
        .find((l) => l.includes(`to ${masked}`));
      return (line && /资金监管邀约，验证码(\d{6})，/.exec(line)?.[1]) || undefined;
    },
    5_000,
    `an escrow code sent to ${masked}`,
  );
}

/** `fangtong <args>` from the sources, on the given settings; answers its exit code and output. */
export async function fangtongCommand(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts', ...args],
      { env: { ...process.env, LOG_LEVEL: 'silent', ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** One raw HTTP call whose answer need not be JSON (a WeChat notify's 204): status and text. */
export function rawHttpCall(
  url: string,
  options: { method?: 'GET' | 'POST'; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: options.method ?? (options.body === undefined ? 'GET' : 'POST'), headers, timeout: 30_000 },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${url} did not answer within 30 s`)));
    request.on('error', reject);
    if (options.body !== undefined) request.write(options.body);
    request.end();
  });
}

/** A v3 notify as WeChat sent it: its signed headers and its body, byte for byte. */
export interface CapturedV3Notify {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * WeChat Pay v3 (JSAPI) as its own HTTP server, as WeChat is to production, with keys the test
 * holds: servers started with its `env` run in live mode (WECHAT_PAY_MODE=live, the four
 * WECHAT_V3_* settings), so every one of them signs its requests with the same merchant key and
 * verifies the same platform key, and a notify the sandbox signs is good on all of them — the
 * in-process sandbox of `WECHAT_PAY_MODE=sandbox` makes keys of its own in each process.
 * `WECHAT_API_BASE` points them at this server. The sandbox's notifies are not posted anywhere:
 * they are kept in `notifies`, for the test to deliver (and replay) to the servers it chooses.
 */
export async function startWechatV3Sandbox(): Promise<{
  sandbox: WechatPayV3Sandbox;
  env: Record<string, string>;
  notifies: CapturedV3Notify[];
  /** How many v3 requests the servers sent the sandbox, by method and path (query dropped). */
  requests: Record<string, number>;
  close(): Promise<void>;
}> {
  const merchant = loadConfig({}).wechat;
  const merchantKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const platformKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const apiV3Key = 'fangtonge2eapiv3key0000000000000';
  const notifies: CapturedV3Notify[] = [];
  const requests: Record<string, number> = {};
  const sandbox = new WechatPayV3Sandbox(
    { appId: merchant.appId, mchId: merchant.mchId, merchantPublicKey: merchantKeys.publicKey, apiV3Key },
    platformKeys.privateKey,
    async (url, headers, body) => {
      notifies.push({ url, headers, body });
      return 204;
    },
    () => Math.floor(Date.now() / 1000),
  );
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const pathWithQuery = req.url ?? '/';
      const key = `${req.method} ${pathWithQuery.split('?')[0]}`;
      requests[key] = (requests[key] ?? 0) + 1;
      sandbox
        .handle({
          method: req.method === 'POST' ? 'POST' : 'GET',
          pathWithQuery,
          headers: Object.fromEntries(
            Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])),
          ),
          body,
        })
        .then(
          (answer) => {
            res.writeHead(answer.status, answer.headers);
            res.end(answer.body);
          },
          (error: unknown) => {
            res.writeHead(500);
            res.end(String(error));
          },
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-wechat-v3-'));
  const privateKeyFile = path.join(dir, 'apiclient_key.pem');
  const platformKeyFile = path.join(dir, 'wechatpay_platform_public.pem');
  fs.writeFileSync(privateKeyFile, merchantKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  fs.writeFileSync(platformKeyFile, platformKeys.publicKey.export({ type: 'spki', format: 'pem' }));
  return {
    sandbox,
    notifies,
    requests,
    env: {
      WECHAT_PAY_MODE: 'live',
      WECHAT_APP_ID: merchant.appId,
      WECHAT_MCH_ID: merchant.mchId,
      WECHAT_API_KEY: merchant.apiKey,
      WECHAT_V3_SERIAL_NO: 'E2E0000000000000000000000000000000000001',
      WECHAT_V3_PRIVATE_KEY_FILE: privateKeyFile,
      WECHAT_V3_API_KEY: apiV3Key,
      WECHAT_V3_PLATFORM_PUBLIC_KEY_FILE: platformKeyFile,
      WECHAT_API_BASE: base,
    },
    async close() {
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const OPERATE_METHOD = 'tmall.alihouse.trade.order.second.house.operate';
export const OPERATE_RESPONSE = 'tmall_alihouse_trade_order_second_house_operate_response';

/**
 * An ISV and the parties of its invitations, over HTTP against real servers: operate calls
 * signed afresh (md5) as a taobao-sdk client signs them, call `i` sent to server `i` in turn;
 * each party's page texts a code from a loopback address of its own (the per-address limit) and
 * reads it from the servers' logs. Case `n`'s phones are `139` + 5 digits of its own + `000`.
 */
export function escrowDriver(servers: readonly ServerProcess[], isv: { appKey: string; secret: string }) {
  let serial = 0;
  let nextAddress = 0;
  const server = (i: number) => servers[i % servers.length]!;
  const mobileOf = (n: number, k: number) => `139${String(n * 2 + k).padStart(5, '0')}000`;
  const tokenOf = (url: string) => new URL(url).pathname.split('/').at(-1)!;
  const page = (on: number, token: string, action = '') =>
    `${server(on).url}/escrow/api/invitations/${token}${action}`;
  type Party = { token: string; mobile: string };

  function operate(request: Record<string, unknown>, on: number): Promise<Answer> {
    const params: Record<string, string> = {
      method: OPERATE_METHOD,
      app_key: isv.appKey,
      timestamp: formatShanghaiDateTime(Date.now()),
      v: '2.0',
      sign_method: 'md5',
      format: 'json',
      partner_id: `e2e-${++serial}`,
      operate_request: JSON.stringify(request),
    };
    return httpCall(`${server(on).url}/router/rest`, {
      form: { ...params, sign: topSign(params, isv.secret, 'md5') },
    });
  }

  /** Creates case `n` (the fixture's terms, phones of its own): its number and parties. */
  async function invitation(n: number, overrides: Record<string, unknown> = {}) {
    const request = createRequest(n, overrides);
    const withPhone = (key: string, k: number) =>
      (request[key] as Array<Record<string, unknown>>).map((p) => ({ ...p, phone: mobileOf(n, k) }));
    const answer = await operate(
      {
        ...request,
        source_no: `E2E-${n}`,
        buyer_infos: withPhone('buyer_infos', 0),
        landlord_infos: withPhone('landlord_infos', 1),
      },
      n,
    );
    const result = answer.body[OPERATE_RESPONSE]?.result;
    if (result?.code !== '200') throw new Error(`CREATE refused: ${JSON.stringify(answer.body)}`);
    return {
      no: result.data.house_order_no as string,
      buyer: { token: tokenOf(result.data.buyer_url), mobile: mobileOf(n, 0) } as Party,
      landlord: { token: tokenOf(result.data.landlord_url), mobile: mobileOf(n, 1) } as Party,
    };
  }

  /** The party accepts through its page: a code texted, the terms read, the decision sent. */
  async function accept(party: Party, on: number): Promise<{ state: string; all_accepted: boolean }> {
    const sent = await httpCall(page(on, party.token, '/send-code'), {
      json: {},
      localAddress: `127.0.0.${2 + (nextAddress++ % 250)}`,
    });
    if (sent.body.code !== 0) throw new Error(`send-code refused: ${JSON.stringify(sent.body)}`);
    const code = await escrowCodeSentTo(servers, party.mobile);
    const view = await httpCall(page(on + 1, party.token));
    if (view.body.code !== 0) throw new Error(`view refused: ${JSON.stringify(view.body)}`);
    const answer = await httpCall(page(on, party.token, '/accept'), {
      json: { code, terms_hash: view.body.data.terms_hash },
    });
    if (answer.body.code !== 0) throw new Error(`accept refused: ${JSON.stringify(answer.body)}`);
    return answer.body.data;
  }

  /** Case `n` created and accepted by both parties: signed, ready to be paid into. */
  async function signedInvitation(n: number, overrides: Record<string, unknown> = {}) {
    const inv = await invitation(n, overrides);
    await accept(inv.buyer, n);
    const last = await accept(inv.landlord, n + 1);
    if (last.state !== 'signed') throw new Error(`not signed: ${JSON.stringify(last)}`);
    return inv;
  }

  return { server, page, operate, invitation, accept, signedInvitation };
}
