import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { eventually, freePort, startServerProcess } from '../helpers/server-process.js';
import { TEST_PII_KEY } from '../helpers/test-app.js';
import { createTestDatabase, testDialect } from '../helpers/test-database.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

// The operator's environment is what each test says, not whatever the test run inherited.
const SETTING = /^(DATABASE_URL|HOST|PORT|NODE_ENV|LOG_LEVEL|PUBLIC_BASE_URL|TRUST_PROXY|FANGTONG_|WECHAT_)/;
const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !SETTING.test(name)));

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-startup-'));
  dirs.push(dir);
  return dir;
}

/** Runs the real command to its end (a minute at most: a server that should have refused runs on). */
function fangtong(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts', ...args],
      {
        env: {
          ...inherited,
          NODE_ENV: 'development',
          FANGTONG_JOBS: 'off',
          FANGTONG_DATA_DIR: tempDir(),
          ...env,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

/** One line on stderr, exit 1, and no stack anywhere. */
async function refuses(args: string[], env: Record<string, string>, line: string): Promise<void> {
  const { code, stdout, stderr } = await fangtong(args, env);
  assert.equal(stderr, `fangtong: ${line}\n`);
  assert.equal(code, 1);
  assert.doesNotMatch(stdout + stderr, /^\s+at /m, 'no stack trace');
}

describe("fangtong start-up: the operator's first minutes", { concurrency: 4 }, () => {
  after(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('says which host and port are taken', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as { port: number };
    try {
      await refuses(
        ['serve'],
        { HOST: '127.0.0.1', PORT: String(port) },
        `cannot listen on 127.0.0.1:${port}: the port is in use (stop what holds it, or set PORT)`,
      );
    } finally {
      holder.close();
    }
  });

  it('refuses a DATABASE_URL scheme it does not know, without repeating the password', async () => {
    await refuses(
      ['serve'],
      { DATABASE_URL: 'mysql://root:s3cret@db.internal/app' },
      'DATABASE_URL must start with sqlite: or postgres:// (got mysql:)',
    );
  });

  it('says which PostgreSQL it cannot reach and why', async () => {
    const port = await freePort();
    await refuses(
      ['serve'],
      { DATABASE_URL: `postgres://fangtong:s3cret@127.0.0.1:${port}/fangtong` },
      `DATABASE_URL: cannot connect to PostgreSQL at 127.0.0.1:${port}/fangtong: connection refused (is PostgreSQL running there?)`,
    );
  });

  it('says when the PostgreSQL database or role does not exist', {
    skip: testDialect() !== 'postgres' && 'needs TEST_DATABASE_URL',
  }, async () => {
    const server = new URL(process.env.TEST_DATABASE_URL ?? '');
    const target = `${server.hostname}:${server.port || '5432'}`;
    const missing = new URL(server);
    missing.pathname = '/ft_no_such_database';
    await refuses(
      ['migrate'],
      { DATABASE_URL: missing.toString() },
      `DATABASE_URL: cannot connect to PostgreSQL at ${target}/ft_no_such_database: database "ft_no_such_database" does not exist`,
    );
    const stranger = new URL(server);
    stranger.username = 'ft_no_such_role';
    stranger.password = 'x';
    const { code, stderr } = await fangtong(['migrate'], { DATABASE_URL: stranger.toString() });
    assert.equal(code, 1);
    // Which of the two the server says depends on its pg_hba.conf.
    assert.match(
      stderr,
      new RegExp(
        `^fangtong: DATABASE_URL: cannot connect to PostgreSQL at ${target}${server.pathname}: ` +
          '(role "ft_no_such_role" does not exist|password authentication failed for user "ft_no_such_role")\\n$',
      ),
    );
  });

  it('refuses a SQLite path that is a folder', async () => {
    const dir = tempDir();
    await refuses(
      ['serve'],
      { DATABASE_URL: `sqlite:${dir}` },
      `DATABASE_URL: ${dir} is a folder, not a SQLite database file`,
    );
  });

  it('refuses a SQLite file in a folder that does not exist, and does not make the folder', async () => {
    const missing = path.join(tempDir(), 'typo');
    await refuses(
      ['migrate'],
      { DATABASE_URL: `sqlite:${path.join(missing, 'fangtong.db')}` },
      `DATABASE_URL: the folder ${missing} of fangtong.db does not exist`,
    );
    assert.equal(fs.existsSync(missing), false);
  });

  it('makes FANGTONG_DATA_DIR for the default database, but not a missing parent of it', async () => {
    const fresh = path.join(tempDir(), 'data');
    const { code, stdout } = await fangtong(['migrate'], { FANGTONG_DATA_DIR: fresh });
    assert.equal(code, 0);
    assert.match(stdout, /^applied: 0001-foundation/);
    assert.ok(fs.existsSync(path.join(fresh, 'fangtong.db')));

    const parent = path.join(tempDir(), 'typo');
    await refuses(
      ['migrate'],
      { FANGTONG_DATA_DIR: path.join(parent, 'data') },
      `FANGTONG_DATA_DIR ${path.join(parent, 'data')} cannot be created: its parent folder ${parent} does not exist`,
    );
    assert.equal(fs.existsSync(parent), false);
  });

  it('refuses a malformed FANGTONG_PII_KEY, and a missing one in production', async () => {
    await refuses(
      ['serve'],
      { PORT: '0', FANGTONG_PII_KEY: 'my-secret-key!' },
      'FANGTONG_PII_KEY must be 32 bytes, as 64 hex characters or base64 (it is neither hex nor base64)',
    );
    await refuses(
      ['serve'],
      { PORT: '0', FANGTONG_PII_KEY: TEST_PII_KEY.slice(0, 62) },
      'FANGTONG_PII_KEY must be 32 bytes, as 64 hex characters or base64 (it holds 46 bytes)',
    );
    await refuses(
      ['serve'],
      { PORT: '0', NODE_ENV: 'production' },
      'FANGTONG_PII_KEY is required when NODE_ENV=production (32 random bytes as 64 hex characters: openssl rand -hex 32)',
    );
  });

  it('refuses a bad setting by its name and value', async () => {
    await refuses(['serve'], { PORT: '30OO' }, 'PORT must be a port number 0-65535 (got 30OO)');
    await refuses(
      ['migrate'],
      { LOG_LEVEL: 'verbose' },
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got verbose)',
    );
  });

  it('prints the usage and exits 0 when asked for help, whatever the settings', async () => {
    for (const args of [['--help'], ['help'], ['-h'], ['serve', '--help'], ['staff', 'add', '--help']]) {
      const { code, stdout, stderr } = await fangtong(args, { PORT: 'not-a-port' });
      assert.equal(code, 0, args.join(' '));
      assert.match(stdout, /^usage: fangtong <command> \[options\]\n/);
      assert.match(stdout, /staff add --username U --password P --roles r1,r2/);
      assert.equal(stderr, '');
    }
    const unknown = await fangtong(['frobnicate'], {});
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^unknown command: frobnicate\n\nusage: fangtong/);
  });

  it('logs where it listens and, in demo mode, the demo accounts and the sandbox routes', async () => {
    const database = await createTestDatabase();
    const server = await startServerProcess({
      DATABASE_URL: database.url,
      NODE_ENV: 'development',
      FANGTONG_DEMO: '1',
      FANGTONG_JOBS: 'off',
    });
    try {
      const messagesNow = () =>
        server.lines
          .filter((line) => line.startsWith('{'))
          .map((line) => (JSON.parse(line) as { msg?: string }).msg);
      const demoAccounts =
        'demo accounts (development password "demo123"): demo-kefu (kefu), demo-mianshen (mianshen), ' +
        'demo-mianqian (mianqian), demo-quanzheng (quanzheng), demo-shencha (shencha), ' +
        'demo-zhongshen (zhongshen), demo-admin (admin), demo-escrow (escrow), demo-parking (parking)';
      // The accounts are listed once the server listens, after a query: the line may follow /healthz.
      const messages = await eventually(
        async () => {
          const now = messagesNow();
          return now.includes(demoAccounts) ? now : undefined;
        },
        5_000,
        'the demo accounts line',
      ).catch(() => messagesNow());
      assert.ok(messages.includes(`Server listening at ${server.url}`), messages.join('\n'));
      assert.ok(messages.includes(demoAccounts), messages.join('\n'));
      assert.ok(messages.some((m) => m?.startsWith('WeChat Pay sandbox: POST /dev/wechat-sandbox/pay')));
      assert.deepEqual(await (await fetch(`${server.url}/dev/wechat-sandbox/orders`)).json(), {
        orders: [],
        refunds: [],
      });
    } finally {
      await server.stop();
      await database.drop();
    }
  });
});
