import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { type Generated, Kysely, sql } from 'kysely';
import { openDatabase } from '../../../src/platform/db/database.js';
import { ReaderUnavailable, SqliteReaders } from '../../../src/platform/db/sqlite-readers.js';
import { SqliteDialectWithRowLocks } from '../../../src/platform/db/sqlite-row-locks.js';

interface Notes {
  notes: { id: Generated<number>; body: string; digest: Buffer | null };
}

// A SQLite mechanism, so it runs on SQLite whichever database the rest of the suite uses.
describe('SQLite as a server runs it: reads on reader threads, transactions locking at BEGIN', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-readers-'));
    file = path.join(dir, 'app.db');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function open(readerThreads: number, onBackgroundError?: (error: Error) => void) {
    const db = openDatabase<Notes>(`sqlite:${file}`, {
      serving: { readerThreads },
      ...(onBackgroundError ? { onBackgroundError } : {}),
    });
    await sql`create table if not exists notes (id integer primary key, body text not null, digest blob)`.execute(
      db.kysely,
    );
    return db;
  }

  const bodies = (db: Kysely<Notes>) =>
    db
      .selectFrom('notes')
      .select('body')
      .orderBy('id')
      .execute()
      .then((rows) => rows.map((r) => r.body));

  it('answers a read outside a transaction while another holds the serving connection, with what was committed', async () => {
    const db = await open(1);
    try {
      await db.kysely.insertInto('notes').values({ body: 'committed', digest: null }).execute();
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let inside: string[] = [];
      const transaction = db.kysely.transaction().execute(async (trx) => {
        await trx.insertInto('notes').values({ body: 'uncommitted', digest: null }).execute();
        // Inside the transaction a read stays on its connection and sees its own write.
        inside = await bodies(trx);
        await held;
      });
      // Until the transaction ends the serving connection is its own: only a reader can answer.
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(await bodies(db.kysely), ['committed']);
      assert.deepEqual(inside, ['committed', 'uncommitted']);
      release();
      await transaction;
      assert.deepEqual(
        await bodies(db.kysely),
        ['committed', 'uncommitted'],
        'a read after a commit sees it',
      );
    } finally {
      await db.close();
    }
  });

  it('without reader threads the same read waits for the transaction (the serving connection alone)', async () => {
    const db = await open(0);
    try {
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const transaction = db.kysely.transaction().execute(async (trx) => {
        await trx.insertInto('notes').values({ body: 'uncommitted', digest: null }).execute();
        await held;
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      let answered = false;
      const read = bodies(db.kysely).then((rows) => {
        answered = true;
        return rows;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(answered, false);
      release();
      await transaction;
      assert.deepEqual(await read, ['uncommitted']);
    } finally {
      await db.close();
    }
  });

  it('binds and returns BLOBs as Buffers, as the serving connection does', async () => {
    const db = await open(1);
    try {
      const digest = Buffer.from('00ff10ab', 'hex');
      await db.kysely.insertInto('notes').values({ body: 'signed', digest }).execute();
      const row = await db.kysely
        .selectFrom('notes')
        .selectAll()
        .where('digest', '=', digest)
        .executeTakeFirst();
      assert.ok(row);
      assert.ok(Buffer.isBuffer(row.digest), 'a Buffer, not the Uint8Array structured cloning delivers');
      assert.ok(row.digest.equals(digest));
    } finally {
      await db.close();
    }
  });

  it('refuses a bad read with SQLite’s message and code, and keeps reading', async () => {
    const db = await open(1);
    try {
      await assert.rejects(
        db.kysely
          .selectFrom('missing' as 'notes')
          .selectAll()
          .execute(),
        (error: Error & { code?: string }) => {
          assert.equal(error.code, 'SQLITE_ERROR');
          assert.match(error.message, /no such table: missing/);
          return true;
        },
      );
      await db.kysely.insertInto('notes').values({ body: 'after', digest: null }).execute();
      assert.deepEqual(await bodies(db.kysely), ['after']);
    } finally {
      await db.close();
    }
  });

  it('a reader that cannot open the database hands its reads back, says so once, and the serving connection answers', async () => {
    const errors: Error[] = [];
    const readers = new SqliteReaders(path.join(dir, 'no-such.db'), 1, 1024, (error) => errors.push(error));
    const sqlite = new SQLite(file);
    sqlite.exec(
      "create table notes (id integer primary key, body text not null, digest blob); insert into notes (body) values ('served')",
    );
    const db = new Kysely<Notes>({
      dialect: new SqliteDialectWithRowLocks({ database: sqlite }, { immediateTransactions: true, readers }),
    });
    try {
      // Sent before the failure is known: handed back, and answered by the serving connection.
      assert.deepEqual(await bodies(db), ['served']);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(errors.length, 1);
      assert.match(errors[0]!.message, /unable to open database file|no such file/i);
      assert.equal(readers.usable, false);
      await assert.rejects(readers.all('select 1', []), ReaderUnavailable);
      assert.deepEqual(await bodies(db), ['served']);
    } finally {
      await db.destroy();
    }
  });

  /** A transaction that reads, waits for `held`, then writes; and another connection writing meanwhile. */
  async function readThenWrite(db: Kysely<Notes>) {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transaction = db.transaction().execute(async (trx) => {
      await bodies(trx);
      await held;
      await trx.insertInto('notes').values({ body: 'server', digest: null }).execute();
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const outsider = new SQLite(file);
    outsider.pragma('busy_timeout = 0');
    const outsiderWrites = () => outsider.prepare("insert into notes (body) values ('outsider')").run();
    return { transaction, release, outsider, outsiderWrites };
  }

  it('a server’s transaction holds the write lock from BEGIN: another process’s write waits for it, not the reverse', async () => {
    const db = await open(1);
    const { transaction, release, outsider, outsiderWrites } = await readThenWrite(db.kysely);
    try {
      assert.throws(outsiderWrites, /database is locked/);
      release();
      await transaction;
      outsiderWrites();
      assert.deepEqual(await bodies(db.kysely), ['server', 'outsider']);
    } finally {
      outsider.close();
      await db.close();
    }
  });

  it('deferred, as commands run them, the transaction that read first is the one refused', async () => {
    const db = openDatabase<Notes>(`sqlite:${file}`);
    await sql`create table notes (id integer primary key, body text not null, digest blob)`.execute(
      db.kysely,
    );
    const { transaction, release, outsider, outsiderWrites } = await readThenWrite(db.kysely);
    try {
      outsiderWrites();
      release();
      await assert.rejects(transaction, /database is locked/);
      assert.deepEqual(await bodies(db.kysely), ['outsider']);
    } finally {
      outsider.close();
      await db.close();
    }
  });
});
