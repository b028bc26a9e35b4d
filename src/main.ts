#!/usr/bin/env node
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { createPartner } from './modules/partner/index.js';
import { createStaff } from './modules/staff/index.js';
import { openDatabase } from './platform/db/database.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { createPii, loadPiiKey } from './platform/pii.js';
import { buildSandboxServer } from './platform/wechat-pay/sandbox-server.js';
import { loadSyntheticOrders } from './seed/synthetic-orders.js';

const USAGE = `usage: fangtong <command> [options]

  serve                         run the HTTP server (migrates first; FANGTONG_DEMO=1 loads demo data)
  migrate                       apply pending database migrations
  seed --orders N [--seed S]    append N synthetic loan orders
  staff add --username U --password P --roles r1,r2 [--name 显示名]
                                roles: kefu mianshen mianqian quanzheng shencha zhongshen admin
  wechat-sandbox [--port 3100]  run the WeChat Pay v2 sandbox as its own HTTP server
  partner add --ua UA --key SIGNKEY [--calls c1,c2|*] [--callback URL]
                                register a loan-marketplace partner (family 4)

Configuration comes from the environment: DATABASE_URL, PORT, HOST, FANGTONG_PII_KEY, …`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case 'serve': {
      const app = await buildApp(config, { startJobs: config.jobs.enabled });
      const shutdown = async () => {
        await app.close();
        process.exit(0);
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
      await app.listen({ port: config.port, host: config.host });
      return -1;
    }
    case 'migrate': {
      const db = openDatabase(config.databaseUrl);
      try {
        const applied = await migrateToLatest(db.kysely, db.dialect);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'seed': {
      const { values } = parseArgs({
        args: rest,
        options: { orders: { type: 'string' }, seed: { type: 'string' } },
      });
      const orders = Number(values.orders);
      if (!Number.isInteger(orders) || orders <= 0)
        throw new UsageError('seed needs --orders N (a positive integer)');
      const db = openDatabase(config.databaseUrl);
      try {
        await migrateToLatest(db.kysely, db.dialect);
        const bar = new cliProgress.SingleBar(
          {
            format: 'seeding {bar} {percentage}% | {value}/{total} orders | {eta_formatted} left',
            stream: process.stderr,
          },
          cliProgress.Presets.shades_classic,
        );
        const started = Date.now();
        bar.start(orders, 0);
        await loadSyntheticOrders(db, loadPiiKey(config.piiKey, config.dataDir), {
          orders,
          ...(values.seed ? { seed: Number(values.seed) } : {}),
          until: Date.now(),
          onProgress: (done) => bar.update(done),
        });
        bar.stop();
        console.log(`seeded ${orders} orders in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'staff': {
      const [sub, ...args] = rest;
      if (sub !== 'add') throw new UsageError('staff: the only subcommand is add');
      const { values } = parseArgs({
        args,
        options: {
          username: { type: 'string' },
          password: { type: 'string' },
          roles: { type: 'string' },
          name: { type: 'string' },
        },
      });
      if (!values.username || !values.password || !values.roles) {
        throw new UsageError('staff add needs --username, --password and --roles');
      }
      const db = openDatabase(config.databaseUrl);
      try {
        await migrateToLatest(db.kysely, db.dialect);
        const staff = await createStaff(
          db.kysely,
          {
            username: values.username,
            password: values.password,
            roles: values.roles.split(',').map((r) => r.trim()),
            ...(values.name ? { displayName: values.name } : {}),
          },
          Date.now(),
          'cli',
        );
        console.log(`created staff #${staff.id} ${staff.username} (${staff.roles.join(', ')})`);
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'partner': {
      const [sub, ...args] = rest;
      if (sub !== 'add') throw new UsageError('partner: the only subcommand is add');
      const { values } = parseArgs({
        args,
        options: {
          ua: { type: 'string' },
          key: { type: 'string' },
          calls: { type: 'string' },
          callback: { type: 'string' },
        },
      });
      if (!values.ua || !values.key) throw new UsageError('partner add needs --ua and --key');
      const db = openDatabase(config.databaseUrl);
      try {
        await migrateToLatest(db.kysely, db.dialect);
        const pii = createPii(loadPiiKey(config.piiKey, config.dataDir));
        const calls =
          !values.calls || values.calls === '*' ? '*' : values.calls.split(',').map((c) => c.trim());
        const partner = await createPartner(
          { db: db.kysely, pii },
          { ua: values.ua, signkey: values.key, calls, callbackUrl: values.callback },
          Date.now(),
          'cli',
        );
        console.log(`created partner #${partner.id} ${partner.ua}`);
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'wechat-sandbox': {
      const { values } = parseArgs({ args: rest, options: { port: { type: 'string' } } });
      const { app } = buildSandboxServer([{ ...config.wechat, signType: 'MD5' }]);
      await app.listen({ host: '127.0.0.1', port: Number(values.port ?? '3100') });
      return -1;
    }
    default:
      throw new UsageError(command ? `unknown command: ${command}` : 'no command given');
  }
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (error instanceof Error && 'fields' in error) {
      const fields = (error as { fields: Array<{ field: string; error: string }> }).fields;
      console.error(fields.map((f) => `${f.field}: ${f.error}`).join('\n') || error.message);
      process.exitCode = 1;
    } else {
      console.error(error);
      process.exitCode = 1;
    }
  },
);
