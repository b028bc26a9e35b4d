import { type SelectQueryNode, SqliteDialect, SqliteQueryCompiler } from 'kysely';

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
  override createQueryCompiler() {
    return new SqliteCompilerWithoutRowLocks();
  }
}
