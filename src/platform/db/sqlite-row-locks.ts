import {
  type Driver,
  type SelectQueryNode,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteQueryCompiler,
} from 'kysely';
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

  /** With `serving`, a server's driver (sqlite-driver.ts); without, Kysely's own. */
  constructor(config: SqliteDialectConfig, serving?: SqliteServingOptions) {
    super(config);
    this.#config = config;
    this.#serving = serving;
  }

  override createDriver(): Driver {
    return this.#serving ? new SqliteServingDriver(this.#config, this.#serving) : super.createDriver();
  }

  override createQueryCompiler() {
    return new SqliteCompilerWithoutRowLocks();
  }
}
