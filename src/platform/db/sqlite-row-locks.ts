import {
  type Driver,
  type SelectQueryNode,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteQueryCompiler,
} from 'kysely';
import { SqliteAutoRollbackDriver } from './sqlite-auto-rollback.js';
import { SqliteServingDriver, type SqliteServingOptions } from './sqlite-driver.js';

/**
 * Queries lock the rows a decision reads with `.forUpdate()`, as PostgreSQL needs. SQLite has
 * no row locks and no FOR UPDATE: its one connection runs one transaction at a time, so every
 * row a transaction reads is already its own. The clause is left out there, and the same
 * query serves both databases.
 */
class SqliteCompilerWithoutRowLocks extends SqliteQueryCompiler {
  protected override visitSelectQuery(node: SelectQueryNode): void {
    const endModifiers = node.endModifiers?.filter((m) => m.modifier !== 'ForUpdate');
    super.visitSelectQuery(endModifiers === node.endModifiers ? node : { ...node, endModifiers });
  }
}

export class SqliteDialectWithRowLocks extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  readonly #serving: SqliteServingOptions | undefined;
  readonly #transactionOpen: (() => boolean) | undefined;

  /**
   * With `serving`, a server's driver (sqlite-driver.ts); without, Kysely's own. With
   * `transactionOpen` (the connection's own state), a transaction SQLite ended itself is not
   * rolled back again (sqlite-auto-rollback.ts).
   */
  constructor(config: SqliteDialectConfig, serving?: SqliteServingOptions, transactionOpen?: () => boolean) {
    super(config);
    this.#config = config;
    this.#serving = serving;
    this.#transactionOpen = transactionOpen;
  }

  override createDriver(): Driver {
    const driver = this.#serving
      ? new SqliteServingDriver(this.#config, this.#serving)
      : super.createDriver();
    return this.#transactionOpen ? new SqliteAutoRollbackDriver(driver, this.#transactionOpen) : driver;
  }

  override createQueryCompiler() {
    return new SqliteCompilerWithoutRowLocks();
  }
}
