import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import type { Db } from '../src/platform/db/database.js';

/** A database that exists only for one benchmark run. */
export interface BenchDatabase {
  readonly label: 'sqlite' | 'postgres';
  /** The DATABASE_URL the app is given. */
  readonly url: string;
  /** Where it lives, safe to print (no credentials). */
  readonly where: string;
  drop(): Promise<void>;
}

/** A SQLite file in a fresh directory under the OS temp dir; drop() removes the directory. */
export function createSqliteDatabase(): BenchDatabase {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-bench-'));
  const file = path.join(dir, 'bench.db');
  return {
    label: 'sqlite',
    url: `sqlite:${file}`,
    where: file,
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** CREATE DATABASE ft_bench_<random> on the given server; drop() removes it, sessions and all. */
export async function createPostgresDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `ft_bench_${randomBytes(4).toString('hex')}`;
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    label: 'postgres',
    url: url.toString(),
    where: `${url.host}/${name}`,
    drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** "SQLite 3.x.y" or "PostgreSQL 15.x", as the server itself reports it. */
export async function databaseVersion(db: Db): Promise<string> {
  if (db.dialect === 'sqlite') {
    const { rows } = await sql<{ v: string }>`select sqlite_version() as v`.execute(db.kysely);
    return `SQLite ${rows[0]?.v ?? '?'}`;
  }
  const { rows } = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db.kysely);
  return `PostgreSQL ${rows[0]?.v ?? '?'}`;
}
