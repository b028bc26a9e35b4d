import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { bundle } from '../../scripts/bundle.js';
import { freePort } from '../helpers/server-process.js';
import { TEST_PII_KEY } from '../helpers/test-app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const run = promisify(execFile);

/**
 * What `npm start` and the `fangtong` bin run: the esbuild bundle. It is made afresh here (inside
 * the package, where it finds web/ and node_modules as the real one does) and driven like a user.
 */
describe('the bundled server', { timeout: 120_000 }, () => {
  let outdir: string;
  let dataDir: string;
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;
  const fangtong = (...args: string[]) =>
    run(process.execPath, [path.join(outdir, 'main.js'), ...args], { env });

  before(async () => {
    outdir = fs.mkdtempSync(path.join(process.cwd(), '.test-bundle-'));
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-bundle-'));
    database = await createTestDatabase();
    env = {
      ...process.env,
      DATABASE_URL: database.url,
      FANGTONG_DATA_DIR: dataDir,
      FANGTONG_PII_KEY: TEST_PII_KEY,
      LOG_LEVEL: 'info',
    };
    await bundle(outdir);
  });
  after(async () => {
    fs.rmSync(outdir, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
    await database.drop();
  });

  it('prints its usage', async () => {
    assert.match((await fangtong('help')).stdout, /^usage: fangtong <command>/);
  });

  it('serves the demo: health, a login and the spec example order, with no error logged', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [path.join(outdir, 'main.js'), 'serve'], {
      env: { ...env, PORT: String(port), FANGTONG_DEMO: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (chunk) => {
      log += chunk;
    });
    child.stderr.on('data', (chunk) => {
      log += chunk;
    });
    const url = `http://127.0.0.1:${port}`;
    try {
      for (let i = 0; ; i++) {
        try {
          if ((await fetch(`${url}/healthz`)).ok) break;
        } catch {
          // Not listening yet.
        }
        assert.ok(i < 300, `no /healthz answer:\n${log}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const login = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'demo-mianqian', password: 'demo123' }),
      }).then((r) => r.json() as Promise<{ data: { token: string } }>);
      assert.ok(login.data, `login: ${JSON.stringify(login)}\n${log}`);
      const detail = await fetch(`${url}/order_mianqian/order_detail?son_order_id=1602261137470`, {
        headers: { authorization: `Bearer ${login.data.token}` },
      }).then((r) => r.json() as Promise<{ code: number; data: { order_info: { son_order_id: number } } }>);
      assert.equal(detail.code, 1, JSON.stringify(detail).slice(0, 200));
      assert.equal(detail.data.order_info.son_order_id, 1602261137470);
      assert.equal((await fetch(`${url}/docs/json`)).status, 200, 'swagger, loaded from node_modules');
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    assert.deepEqual(
      log.split('\n').filter((line) => /"level":(40|50|60)/.test(line) && !line.includes('[dev sms]')),
      [],
    );
  });
  it('seeds through its worker module and migrates', async () => {
    assert.match((await fangtong('seed', '--orders', '300')).stdout, /seeded 300 orders in/);
    assert.match((await fangtong('migrate')).stdout, /database is up to date/);
  });
});
