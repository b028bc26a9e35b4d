import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Db, openDatabase } from '../../src/database.js';
import { migrateToLatest } from '../../src/migrations.js';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * One fresh database per test file: a temporary SQLite file by default, or — when
 * TEST_DATABASE_URL names a PostgreSQL server — a new database created on it and dropped after.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl?.startsWith('postgres')) {
    const name = `ft_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      async drop() {
        const client = new pg.Client({ connectionString: serverUrl });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-test-'));
  return {
    url: `sqlite:${path.join(dir, 'test.db')}`,
    async drop() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function testDialect(): 'sqlite' | 'postgres' {
  return process.env.TEST_DATABASE_URL?.startsWith('postgres') ? 'postgres' : 'sqlite';
}

/** A fresh test database, opened and migrated; `close` closes it and drops it. */
export async function openMigratedTestDatabase(): Promise<{ db: Db; close: () => Promise<void> }> {
  const database = await createTestDatabase();
  const db = openDatabase(database.url);
  await migrateToLatest(db.kysely, db.dialect);
  return {
    db,
    close: async () => {
      await db.close();
      await database.drop();
    },
  };
}
