import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SelectQueryNode,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';
import { ReaderUnavailable, type SqliteReaders } from './sqlite-readers.js';

export interface SqliteServingOptions {
  /**
   * Transactions take SQLite's write lock at BEGIN (BEGIN IMMEDIATE). A deferred transaction
   * that has read and then writes fails at once ("database is locked") when another process —
   * `fangtong parking reseal`, a second connection opened beside the server — committed in
   * between; taken at BEGIN, the lock makes the other writer wait instead. A server loses
   * nothing by it: its one connection runs one transaction at a time anyway. A command that
   * only reads (`fangtong ledger check`) must not hold the servers' writes for its whole run,
   * so commands keep deferred transactions.
   */
  immediateTransactions: boolean;
  /** Reader threads that answer the SELECTs run outside a transaction; none: all on this connection. */
  readers?: SqliteReaders | undefined;
}

/**
 * Kysely's SQLite driver as a server runs it: everything goes through the one serving connection,
 * one use at a time as Kysely's own driver does it, except SELECTs made outside a transaction,
 * which the reader threads answer (sqlite-readers.ts) while it works on.
 */
export class SqliteServingDriver implements Driver {
  readonly #inner: SqliteDriver;
  readonly #options: SqliteServingOptions;

  constructor(config: SqliteDialectConfig, options: SqliteServingOptions) {
    this.#inner = new SqliteDriver(config);
    this.#options = options;
  }

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutedConnection(this.#inner, this.#options.readers);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const main = await (connection as RoutedConnection).main();
    if (this.#options.immediateTransactions) await main.executeQuery(CompiledQuery.raw('begin immediate'));
    else await this.#inner.beginTransaction(main);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#inner.commitTransaction(await (connection as RoutedConnection).main());
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#inner.rollbackTransaction(await (connection as RoutedConnection).main());
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    await (connection as RoutedConnection).release();
  }

  async destroy(): Promise<void> {
    try {
      await this.#options.readers?.stop();
    } finally {
      await this.#inner.destroy();
    }
  }
}

/** One use of the database: its reads go out until it needs the serving connection, then stay on it. */
class RoutedConnection implements DatabaseConnection {
  #main: DatabaseConnection | undefined;

  constructor(
    private readonly inner: SqliteDriver,
    private readonly readers: SqliteReaders | undefined,
  ) {}

  async main(): Promise<DatabaseConnection> {
    this.#main ??= await this.inner.acquireConnection();
    return this.#main;
  }

  async release(): Promise<void> {
    if (!this.#main) return;
    this.#main = undefined;
    await this.inner.releaseConnection();
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (!this.#main && this.readers?.usable && SelectQueryNode.is(query.query)) {
      try {
        return { rows: (await this.readers.all(query.sql, query.parameters)) as R[] };
      } catch (error) {
        // A reader that died with the read is no answer: the serving connection gives one.
        if (!(error instanceof ReaderUnavailable)) throw error;
      }
    }
    return (await this.main()).executeQuery<R>(query);
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    yield* (await this.main()).streamQuery<R>(query, chunkSize);
  }
}
