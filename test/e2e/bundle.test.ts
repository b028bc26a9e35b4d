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
    run(process.execPath, [path.join(outdir, 'fangtong.cjs'), ...args], { env });

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

  it("sizes libuv's thread pool before an ES module entry is read through it", async () => {
    // The launcher beside a probe entry: six reads that block a pool thread each (FIFOs no one
    // writes), then a stat that only finishes if the pool has a seventh thread.
    const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-pool-'));
    try {
      fs.copyFileSync(path.join(outdir, 'fangtong.cjs'), path.join(probeDir, 'fangtong.cjs'));
      const fifos = Array.from({ length: 6 }, (_, i) => path.join(probeDir, `fifo${i}`));
      for (const fifo of fifos) await run('mkfifo', [fifo]);
      fs.writeFileSync(
        path.join(probeDir, 'main.js'),
        `import fs from 'node:fs';
for (const fifo of ${JSON.stringify(fifos)}) fs.promises.open(fifo, 'r').catch(() => {});
const timer = setTimeout(() => { console.log('exhausted'); process.kill(process.pid, 'SIGKILL'); }, 2000);
await fs.promises.stat('/');
clearTimeout(timer);
console.log('pool ' + process.env.UV_THREADPOOL_SIZE);
process.kill(process.pid, 'SIGKILL');
`,
      );
      fs.writeFileSync(path.join(probeDir, 'package.json'), '{"type":"module"}');
      const probe = (extra: NodeJS.ProcessEnv) =>
        new Promise<string>((resolve) => {
          const child = spawn(process.execPath, [path.join(probeDir, 'fangtong.cjs')], {
            env: { PATH: process.env.PATH, ...extra },
          });
          let out = '';
          child.stdout.on('data', (chunk) => {
            out += chunk;
          });
          child.on('close', () => resolve(out.trim()));
        });
      assert.equal(await probe({}), 'pool 16');
      // An operator's setting wins: 4 threads are all blocked, so the stat never finishes.
      assert.equal(await probe({ UV_THREADPOOL_SIZE: '4' }), 'exhausted');
    } finally {
      fs.rmSync(probeDir, { recursive: true, force: true });
    }
  });

  it('prints its usage', async () => {
    assert.match((await fangtong('help')).stdout, /^usage: fangtong <command>/);
  });

  it('serves the demo: health, a login and the spec example order, with no error logged', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [path.join(outdir, 'fangtong.cjs'), 'serve'], {
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

  it('rebuilt over itself, holds only the new build: no chunk of the last one stays', async () => {
    const built = fs.readdirSync(outdir).sort();
    assert.ok(built.includes('main.js'));
    fs.writeFileSync(path.join(outdir, 'main-STALE000.js'), 'export {};\n');
    await bundle(outdir);
    assert.deepEqual(fs.readdirSync(outdir).sort(), built);
  });
});
