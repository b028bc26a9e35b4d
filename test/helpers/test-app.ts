import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { DestinationStream } from 'pino';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { type Db, openDatabase } from '../../src/database.js';
import { createStaff, login, type StaffRole } from '../../src/modules/staff/index.js';
import { fixedClock } from '../../src/platform/clock.js';
import type { SmsProvider } from '../../src/platform/sms/sms-provider.js';
import { createTestDatabase } from './test-database.js';

/** 2024-06-01 10:00:00 Beijing time: tests run on a clock they control. */
export const TEST_NOW = Date.parse('2024-06-01T10:00:00+08:00');
/** Development-only key for tests; never used outside them. */
export const TEST_PII_KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  clock: ReturnType<typeof fixedClock>;
  /** A logged-in staff member holding `roles`; answers the bearer token. */
  tokenFor(...roles: StaffRole[]): Promise<string>;
  close(): Promise<void>;
}

export async function startTestApp(
  options: {
    demo?: boolean;
    sms?: SmsProvider;
    logStream?: DestinationStream;
    /** More of the environment the configuration is read from (NODE_ENV stays `test`). */
    env?: Record<string, string>;
    /** Where parking uploads go; by default a folder of this app's own, removed when it closes. */
    uploadsDir?: string;
  } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  // SQLite as a server runs it: a reader thread, transactions locking at BEGIN (SQLITE_READER_THREADS=1).
  const db = openDatabase(database.url, { poolSize: 4, serving: { readerThreads: 1 } });
  const clock = fixedClock(TEST_NOW);
  const loaded = loadConfig(
    { ...options.env, NODE_ENV: 'test' },
    {
      databaseUrl: database.url,
      piiKey: TEST_PII_KEY,
      demo: options.demo ?? false,
      // A test that reads the log wants every line a client's request can cause.
      ...(options.logStream ? { logLevel: 'info' } : {}),
    },
  );
  // Test files run side by side: one counting the files it stored must not see another's.
  const ownUploads = !options.uploadsDir;
  const uploadsDir = options.uploadsDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-test-uploads-'));
  const config = { ...loaded, uploads: { ...loaded.uploads, dir: uploadsDir } };
  const app = await buildApp(config, {
    clock,
    db,
    ...(options.sms ? { sms: options.sms } : {}),
    ...(options.logStream ? { logStream: options.logStream } : {}),
  });
  let counter = 0;
  return {
    app,
    db,
    clock,
    async tokenFor(...roles) {
      counter += 1;
      const username = `t${counter}-${roles.join('-') || 'none'}`.slice(0, 32);
      await createStaff(db.kysely, { username, password: 'secret-pass', roles }, clock.now(), 'test');
      const session = await login(
        db.kysely,
        { username, password: 'secret-pass' },
        clock.now(),
        config.sessionTtlMs,
      );
      return session.token;
    },
    async close() {
      await app.close();
      await db.close();
      await database.drop();
      if (ownUploads) fs.rmSync(uploadsDir, { recursive: true, force: true });
    },
  };
}

/** JSON body of a response, typed loosely for assertions. */
// biome-ignore lint/suspicious/noExplicitAny: assertions walk arbitrary response shapes
export function body(response: LightMyRequestResponse): any {
  return JSON.parse(response.body);
}

export function bearer(token: string) {
  return { authorization: `Bearer ${token}` };
}
