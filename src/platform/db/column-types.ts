import type { ColumnDefinitionBuilder, CreateTableBuilder } from 'kysely';
import type { Dialect } from './database.js';

/** An auto-incrementing integer primary key, spelled the way each dialect wants it. */
export function withIdColumn<T extends string, C extends string>(
  table: CreateTableBuilder<T, C>,
  dialect: Dialect,
  name: string,
): CreateTableBuilder<T, C> {
  return dialect === 'postgres'
    ? table.addColumn(name, 'bigserial', (c) => c.primaryKey())
    : table.addColumn(name, 'integer', (c) => c.primaryKey().autoIncrement());
}

export const notNull = (c: ColumnDefinitionBuilder) => c.notNull();
