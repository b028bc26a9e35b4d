import type { DatabaseConnection, Driver, TransactionSettings } from 'kysely';

/**
 * A driver whose rollback leaves alone a transaction SQLite has already ended. On some errors
 * (disk full, I/O error, out of memory) SQLite rolls the whole transaction back itself; Kysely then
 * still sends ROLLBACK, which fails with "cannot rollback - no transaction is active", and that
 * error, not the one that ended the transaction, reaches the caller. `transactionOpen` is the
 * connection's own state (better-sqlite3's `inTransaction`).
 */
export class SqliteAutoRollbackDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly transactionOpen: () => boolean,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  acquireConnection(): Promise<DatabaseConnection> {
    return this.inner.acquireConnection();
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.transactionOpen()) await this.inner.rollbackTransaction(connection);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(connection);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}
