import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { formatShanghaiDateTime } from '../../src/core/time.js';
import { topSign } from '../../src/core/top-sign.js';

/** `fangtong serve` from the sources, on SQLite in a fresh data folder, as a developer runs it. */
export interface Server {
  url: string;
  lines: string[];
  /** The SQLite file the server runs on, for a test that must look at (or age) its rows. */
  databasePath: string;
  stop(): Promise<void>;
}

const ROOT = path.resolve(import.meta.dirname, '../..');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startServer(
  isv: { appKey: string; secret: string },
  settings: Record<string, string> = {},
): Promise<Server> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-browser-'));
  const databasePath = path.join(dataDir, 'fangtong.db');
  const env = {
    ...process.env,
    // Development: the SMS sender writes each code to the log, where codeSentTo reads it.
    NODE_ENV: 'development',
    FANGTONG_DEMO: '1',
    FANGTONG_DATA_DIR: dataDir,
    DATABASE_URL: `sqlite:${databasePath}`,
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: 'info',
    SMS_PROVIDER: 'log',
    ...settings,
  };
  // The ISV the test calls the TOP gateway as, registered as an operator would.
  execFileSync(
    process.execPath,
    ['--import', 'tsx', 'src/main.ts', 'isv', 'add', '--app-key', isv.appKey, '--secret', isv.secret],
    { cwd: ROOT, env, stdio: 'pipe' },
  );
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts);
    });
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`fangtong serve exited ${child.exitCode}:\n${lines.join('\n')}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`fangtong serve did not answer /healthz within 60 s:\n${lines.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    lines,
    databasePath,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const OPERATE = 'tmall.alihouse.trade.order.second.house.operate';

/** CREATE through the TOP gateway, signed as a taobao-sdk client signs: answers the parties' URLs. */
export async function createInvitation(
  server: Server,
  isv: { appKey: string; secret: string },
  request: Record<string, unknown>,
): Promise<{ house_order_no: string; buyer_url: string; landlord_url: string }> {
  const params: Record<string, string> = {
    method: OPERATE,
    app_key: isv.appKey,
    timestamp: formatShanghaiDateTime(Date.now()),
    v: '2.0',
    sign_method: 'md5',
    format: 'json',
    operate_request: JSON.stringify(request),
  };
  params.sign = topSign(params, isv.secret, 'md5');
  const response = await fetch(`${server.url}/router/rest`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  const body = (await response.json()) as Record<string, { result?: { is_success: boolean; data: never } }>;
  const result = body.tmall_alihouse_trade_order_second_house_operate_response?.result;
  if (!result?.is_success) throw new Error(`CREATE refused: ${JSON.stringify(body)}`);
  return result.data;
}

/** The last code the development SMS sender logged for this phone (masked as the log masks it). */
export async function codeSentTo(server: Server, phone: string, after: number): Promise<string> {
  const masked = `${phone.slice(0, -3)}***`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const line = server.lines
      .slice(after)
      .reverse()
      .find((l) => l.includes('[dev sms]') && l.includes(`to ${masked}`));
    const code = line && /验证码(?:是)?(\d{6})/.exec(line)?.[1];
    if (code) return code;
    if (Date.now() > deadline) throw new Error(`no code was logged for ${masked}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
