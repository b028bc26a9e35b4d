import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { type Db, openDatabase } from '../src/database.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.js';

const run = promisify(execFile);

describe('the fangtong command', () => {
  let database: TestDatabase;
  let dataDir: string;
  let db: Db;
  const fangtong = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
      env: { ...process.env, DATABASE_URL: database.url, FANGTONG_DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    });

  before(async () => {
    database = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-cli-'));
    db = openDatabase(database.url);
  });
  after(async () => {
    await db.close();
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrate applies every migration once', async () => {
    assert.match(
      (await fangtong('migrate')).stdout,
      /applied: 0001-foundation, 0002-loan-orders, 0003-payments, 0004-tenants-and-leases, 0005-partner-gateway, 0006-desk-order-time/,
    );
    assert.match((await fangtong('migrate')).stdout, /database is up to date/);
  });

  it('staff add creates an account with roles; bad input is refused with the field', async () => {
    const { stdout } = await fangtong(
      'staff',
      'add',
      '--username',
      'li.si',
      '--password',
      'pass-word',
      '--roles',
      'mianqian,admin',
    );
    assert.match(stdout, /created staff #\d+ li\.si \(mianqian, admin\)/);
    const row = await db.kysely
      .selectFrom('staff')
      .selectAll()
      .where('username', '=', 'li.si')
      .executeTakeFirstOrThrow();
    assert.equal(row.roles, 'mianqian,admin');
    await assert.rejects(
      fangtong('staff', 'add', '--username', 'x', '--password', 'pass-word', '--roles', 'boss'),
      (error: { stderr: string }) => {
        assert.match(error.stderr, /username: 用户名须为3-32位/);
        assert.match(error.stderr, /roles: 角色须为/);
        return true;
      },
    );
  });

  it('seed appends realistic orders over both cities and every stage, with a key file generated for development', async () => {
    const { stdout } = await fangtong('seed', '--orders', '600');
    assert.match(stdout, /seeded 600 orders in [\d.]+ s/);
    const byStage = await db.kysely
      .selectFrom('loan_orders')
      .select(['stage', 'state', 'city', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['stage', 'state', 'city'])
      .execute();
    const total = byStage.reduce((sum, r) => sum + Number(r.n), 0);
    assert.equal(total, 600);
    assert.deepEqual([...new Set(byStage.map((r) => r.city))].sort(), ['上海市', '北京市']);
    assert.equal(new Set(byStage.filter((r) => r.state === 'open').map((r) => r.stage)).size, 6);
    assert.ok(byStage.some((r) => r.state === 'stopped') && byStage.some((r) => r.state === 'approved'));
    const rejected = await db.kysely
      .selectFrom('loan_orders')
      .select('id')
      .where('is_bohui', '=', 1)
      .execute();
    assert.ok(rejected.length > 0);
    assert.ok(fs.existsSync(path.join(dataDir, 'pii.key')));
    // A second run appends orders with numbers that do not collide.
    await fangtong('seed', '--orders', '100');
    const count = await db.kysely
      .selectFrom('loan_orders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 700);
  });

  it('partner add registers a marketplace partner with its key encrypted', async () => {
    const { stdout } = await fangtong(
      'partner',
      'add',
      '--ua',
      'SH_XJ360_POA',
      '--key',
      'a-long-signing-key-123',
      '--calls',
      'User.isUserAccept,BindCard.getValidBankList',
      '--callback',
      'https://partner.example/callback',
    );
    assert.match(stdout, /created partner #\d+ SH_XJ360_POA/);
    const row = await db.kysely
      .selectFrom('partners')
      .selectAll()
      .where('ua', '=', 'SH_XJ360_POA')
      .executeTakeFirstOrThrow();
    assert.equal(row.calls, 'User.isUserAccept,BindCard.getValidBankList');
    assert.ok(!row.signkey_enc.includes('a-long-signing-key-123'));
    await assert.rejects(
      fangtong('partner', 'add', '--ua', 'SH_XJ360_POA', '--key', 'a-long-signing-key-123'),
      /ua已存在/,
    );
  });

  it('isv add registers an escrow ISV with its secret encrypted; a bad one is refused naming the field', async () => {
    const { stdout } = await fangtong(
      'isv',
      'add',
      '--app-key',
      'cli-made-isv',
      '--secret',
      'cli-isv-secret-0123456789',
      '--stores',
      '10223,10224',
    );
    assert.match(stdout, /created ISV #\d+ cli-made-isv/);
    const row = await db.kysely
      .selectFrom('escrow_isvs')
      .selectAll()
      .where('app_key', '=', 'cli-made-isv')
      .executeTakeFirstOrThrow();
    assert.equal(row.store_ids, '10223,10224');
    assert.ok(!row.secret_enc.includes('cli-isv-secret-0123456789'));
    await assert.rejects(
      fangtong('isv', 'add', '--app-key', 'x', '--secret', 'short'),
      (error: { stderr: string }) => {
        assert.match(error.stderr, /app_key: app_key须为6-64位/);
        assert.match(error.stderr, /secret: secret长度须为16-128个字符/);
        return true;
      },
    );
  });

  it('ledger check proves the ledger adds up, and names an account that disagrees with its postings (exit 1)', async () => {
    const { openAccount, transfer } = await import('../src/modules/ledger/index.js');
    const now = Date.now();
    await openAccount(db.kysely, { code: 'cli:clearing', kind: 'clearing' }, now);
    await openAccount(
      db.kysely,
      { code: 'cli:held', kind: 'escrow_held', debitsMustNotExceedCredits: true },
      now,
    );
    await transfer(
      db.kysely,
      { key: 'cli-fund', debit: 'cli:clearing', credit: 'cli:held', amount: 12_345, ledger: 'test.fund' },
      now,
    );
    const ok = await fangtong('ledger', 'check');
    assert.match(
      ok.stdout,
      /2 accounts, 1 transfers, checked in \d+ ms; debits 12345 \/ credits 12345 fen posted/,
    );
    assert.match(ok.stdout, /ledger: ok$/m);
    // A balance changed behind the ledger's back, as a stray statement would.
    await db.kysely
      .updateTable('ledger_accounts')
      .set({ credits_posted: 12_346 })
      .where('code', '=', 'cli:held')
      .execute();
    await assert.rejects(fangtong('ledger', 'check'), (error: { code: number; stdout: string }) => {
      assert.equal(error.code, 1);
      assert.match(
        error.stdout,
        /DISAGREES .*"code":"cli:held".*"field":"credits_posted".*"recorded":12346.*"expected":12345/,
      );
      assert.match(error.stdout, /ledger: \d+ disagreement\(s\)/);
      return true;
    });
  });

  it("parking reseal takes only the servers' key: none configured, or one that does not open their data, changes nothing", async () => {
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-cli-nokey-'));
    const reseal = (extra: Record<string, string>) =>
      run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'parking', 'reseal'], {
        env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent', ...extra },
      });
    try {
      await assert.rejects(reseal({ FANGTONG_DATA_DIR: bare }), (error: { code: number; stderr: string }) => {
        assert.equal(error.code, 1);
        assert.match(error.stderr, /^fangtong: no PII key: set FANGTONG_PII_KEY/m);
        return true;
      });
      assert.deepEqual(fs.readdirSync(bare), [], 'no key file made up');
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
    }
    const { createPii } = await import('../src/platform/pii.js');
    const { seedParkingWorld } = await import('./modules/parking/parking-orders-fixtures.js');
    const serversKey = 'ab'.repeat(32);
    await seedParkingWorld(db.kysely, createPii(Buffer.from(serversKey, 'hex')), Date.now());
    await assert.rejects(
      reseal({ FANGTONG_DATA_DIR: dataDir, FANGTONG_PII_KEY: 'cd'.repeat(32) }),
      (error: { code: number; stderr: string }) => {
        assert.equal(error.code, 1);
        assert.match(
          error.stderr,
          /^fangtong: the PII key does not open the parking data already sealed: run with the servers' FANGTONG_PII_KEY; nothing was changed$/m,
        );
        return true;
      },
    );
    const { stdout } = await reseal({ FANGTONG_DATA_DIR: dataDir, FANGTONG_PII_KEY: serversKey });
    assert.match(
      stdout,
      /^parking reseal: files 0 sealed, 0 already sealed, 0 missing, 0 failed; extra infos 0 sealed$/m,
    );
    await assert.rejects(fangtong('parking', 'seal'), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 2);
      assert.match(error.stderr, /parking: the only subcommand is reseal/);
      return true;
    });
  });

  it('refuses an unknown option with what parseArgs says and the usage, exit 2', async () => {
    await assert.rejects(fangtong('seed', '--order', '5'), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 2);
      assert.match(error.stderr, /^Unknown option '--order'/);
      assert.match(error.stderr, /usage: fangtong/);
      assert.doesNotMatch(error.stderr, /^\s+at /m);
      return true;
    });
  });

  it('refuses an unknown command with the usage', async () => {
    await assert.rejects(fangtong('frobnicate'), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 2);
      assert.match(error.stderr, /unknown command: frobnicate/);
      assert.match(error.stderr, /usage: fangtong/);
      return true;
    });
  });
});
