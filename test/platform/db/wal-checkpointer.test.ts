import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { openDatabase } from '../../../src/database.js';
import { startWalCheckpointer } from '../../../src/platform/db/wal-checkpointer.js';

// A SQLite mechanism, so it runs on SQLite whichever database the rest of the suite uses.
describe('background WAL checkpoints (SQLite)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-wal-'));
    file = path.join(dir, 'app.db');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Rows the database file holds by itself, without its write-ahead log: what was checkpointed. */
  function rowsInDatabaseFileAlone(): number {
    const copy = path.join(dir, `alone-${Date.now()}.db`);
    fs.copyFileSync(file, copy);
    const alone = new SQLite(copy, { readonly: true });
    try {
      const table = alone.prepare("select 1 from sqlite_master where name = 'notes'").get();
      return table ? (alone.prepare('select count(*) as n from notes').get() as { n: number }).n : 0;
    } finally {
      alone.close();
    }
  }

  async function writeNotes(backgroundCheckpoints: boolean) {
    const db = openDatabase(`sqlite:${file}`, { backgroundCheckpoints });
    await sql`create table notes (id integer primary key, body text not null)`.execute(db.kysely);
    // Fifty commits make fifty-odd log pages: far below either automatic checkpoint threshold.
    for (let i = 0; i < 50; i++)
      await sql`insert into notes (body) values (${`note ${i}`})`.execute(db.kysely);
    return db;
  }

  async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      try {
        if (check()) return true;
      } catch {
        // A copy taken while the worker writes the file can be torn; the next look is not.
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return check();
  }

  it('copies committed pages into the database file from its worker', async () => {
    const db = await writeNotes(true);
    try {
      assert.equal(await waitFor(() => rowsInDatabaseFileAlone() === 50, 5000), true);
    } finally {
      await db.close();
    }
  });

  it('leaves those pages in the log without the worker (the control)', async () => {
    const db = await writeNotes(false);
    try {
      assert.equal(await waitFor(() => rowsInDatabaseFileAlone() > 0, 500), false);
    } finally {
      await db.close();
    }
  });

  it('reports a worker that cannot start, and can still be stopped', async () => {
    const errors: Error[] = [];
    const checkpointer = startWalCheckpointer(path.join(dir, 'missing.db'), (error) => errors.push(error));
    assert.equal(await waitFor(() => errors.length > 0, 5000), true);
    assert.ok(errors[0] instanceof Error);
    assert.match(errors[0].message, /^SQLITE_CANTOPEN: unable to open database file$/);
    await checkpointer.stop();
  });

  it('stops the worker on close and leaves no log behind', async () => {
    const db = await writeNotes(true);
    await db.close();
    assert.equal(fs.existsSync(`${file}-wal`), false);
    assert.equal(rowsInDatabaseFileAlone(), 50);
  });
});
