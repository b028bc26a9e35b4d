import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { bundle } from '../../scripts/bundle.js';
import { loadConfig } from '../../src/config.js';
import type { WechatPaySandbox } from '../../src/platform/wechat-pay/sandbox.js';
import { buildSandboxServer } from '../../src/platform/wechat-pay/sandbox-server.js';
import { TEST_PII_KEY } from './test-app.js';

/** A real `fangtong serve` process, as production runs it: its start-up, its jobs, its HTTP. */
export interface ServerProcess {
  url: string;
  /** Everything the process wrote, line by line (pino's JSON lines on stdout, stderr too). */
  lines: string[];
  /** SIGTERM, then waits for the exit; answers the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: the process dies mid-flight, as a crash or an OOM kill would end it. */
  kill(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let bundled: Promise<string> | undefined;

/**
 * The server as `npm start` runs it: the esbuild bundle, made afresh from the sources once per
 * test file (in the package, where it finds web/ and node_modules) and removed when it ends.
 */
function bundledMain(): Promise<string> {
  bundled ??= (async () => {
    const outdir = fs.mkdtempSync(path.join(process.cwd(), '.test-bundle-'));
    process.once('exit', () => fs.rmSync(outdir, { recursive: true, force: true }));
    await bundle(outdir);
    return path.join(outdir, 'fangtong.cjs');
  })();
  return bundled;
}

/** What `fangtong serve` says when the port it was given was taken before it could listen. */
const PORT_TAKEN = 'the port is in use';

/**
 * Starts `fangtong serve` (bundled) on a free port and waits until it says it listens there and
 * /healthz answers 200. A free port is only free when asked: another test's server may take it
 * before this one listens, so such a start is tried again on another port; and the server is
 * believed only once its own log says it listens, so a /healthz answered by whoever took the port
 * is not mistaken for it.
 */
export async function startServerProcess(
  env: Record<string, string>,
  options: { port?: number } = {},
): Promise<ServerProcess> {
  const main = await bundledMain();
  for (let attempt = 1; ; attempt++) {
    const started = await startOn(main, options.port ?? (await freePort()), env);
    if (started !== PORT_TAKEN) return started;
    if (options.port !== undefined || attempt === 3)
      throw new Error(`fangtong serve: ${PORT_TAKEN} (${attempt} tries)`);
  }
}

async function startOn(
  main: string,
  port: number,
  env: Record<string, string>,
): Promise<ServerProcess | typeof PORT_TAKEN> {
  const ownDataDir = env.FANGTONG_DATA_DIR === undefined;
  const dataDir = env.FANGTONG_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-e2e-'));
  const settings = {
    ...process.env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    FANGTONG_PII_KEY: TEST_PII_KEY,
    FANGTONG_DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    WECHAT_PAY_MODE: 'sandbox',
    // A trial's choice: codes go to the log, where codeSentTo reads them.
    SMS_PROVIDER: 'log',
    ...env,
  };
  const child: ChildProcess = spawn(process.execPath, [main, 'serve'], {
    env: settings,
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
    stream?.on('end', () => {
      if (rest) lines.push(rest);
    });
  }
  // 'close', not 'exit': only then has all the process wrote been read.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  // Fastify's own line, at info; a test that logs less is believed on /healthz alone.
  const listening = `"msg":"Server listening at ${url}"`;
  const says =
    settings.LOG_LEVEL === 'info' ? () => lines.some((line) => line.includes(listening)) : () => true;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await exited;
      if (lines.some((line) => line.includes(PORT_TAKEN))) {
        if (ownDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
        return PORT_TAKEN;
      }
      throw new Error(`fangtong serve exited ${child.exitCode ?? child.signalCode}:\n${lines.join('\n')}`);
    }
    try {
      if (says() && (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) })).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`fangtong serve did not answer /healthz within 30 s:\n${lines.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    lines,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Waits until `check` answers something other than undefined, polling; fails after `ms`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  ms = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The code a phone was sent: the development SMS sender writes it, masked phone and all, to the log. */
export async function codeSentTo(servers: readonly ServerProcess[], mobile: string): Promise<string> {
  const masked = `${mobile.slice(0, 8)}***`;
  return eventually(
    async () => {
      const line = servers
        .flatMap((server) => server.lines)
        .reverse()
        .find((l) => l.includes(`to ${masked}`));
      return (line && /验证码是(\d{6})/.exec(line)?.[1]) || undefined;
    },
    5_000,
    `a code sent to ${masked}`,
  );
}

/**
 * WeChat Pay's sandbox as its own HTTP server, as WeChat is to production: the settings that
 * point a server at it in live mode, with the sandbox merchant, come with it.
 */
export async function startWechatSandbox(): Promise<{
  sandbox: WechatPaySandbox;
  env: Record<string, string>;
  close(): Promise<void>;
}> {
  const merchant = loadConfig({}).wechat;
  const { app, sandbox } = buildSandboxServer([{ ...merchant, signType: 'MD5' }]);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    sandbox,
    env: {
      WECHAT_PAY_MODE: 'live',
      // Live WeChat Pay in production must name its payout provider; these servers pay out in the sandbox.
      PAYOUT_PROVIDER: 'sandbox',
      WECHAT_APP_ID: merchant.appId,
      WECHAT_MCH_ID: merchant.mchId,
      WECHAT_API_KEY: merchant.apiKey,
      WECHAT_API_BASE: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    },
    close: () => app.close(),
  };
}
