import { execFile } from 'node:child_process';
import http from 'node:http';
import { promisify } from 'node:util';
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
