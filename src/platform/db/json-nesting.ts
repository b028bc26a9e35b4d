import {
  AliasNode,
  ColumnNode,
  type Expression,
  IdentifierNode,
  type Kysely,
  type OperationNode,
  PostgresAdapter,
  type RawBuilder,
  RawNode,
  ReferenceNode,
  SelectQueryNode,
  sql,
} from 'kysely';
import * as postgres from 'kysely/helpers/postgres';

/**
 * Related rows nested into one row as JSON, so a page that shows an order with its people and
 * notes is one statement: one round trip, and one snapshot on both databases without a
 * transaction. The query is written once: Kysely's helpers on PostgreSQL, on SQLite the same SQL
 * as Kysely's with nested JSON kept as JSON (below).
 */
export function jsonNesting<DB>(db: Kysely<DB>): JsonNesting {
  return db.getExecutor().adapter instanceof PostgresAdapter ? postgres : sqliteNesting;
}

/** A nested value as the driver gave it: SQLite answers JSON text, PostgreSQL parsed JSON. */
export function unnest<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

// SQLite's json_object takes a column read through the derived table as text, so a list or
// object nested one level deeper would arrive as a JSON string inside the JSON, to be parsed a
// second time. json() gives such a column back its JSON meaning; it is applied to exactly the
// columns these helpers made, known by the head of their SQL.
const ARRAY_HEAD = '(select coalesce(json_group_array(json_object(';
const OBJECT_HEAD = '(select json_object(';
const HEADS = new Set([ARRAY_HEAD, OBJECT_HEAD]);

type JsonNesting = Pick<typeof postgres, 'jsonArrayFrom' | 'jsonObjectFrom'>;

const sqliteNesting: JsonNesting = {
  jsonArrayFrom(expr) {
    return sql<never>`${sql.raw(ARRAY_HEAD)}${jsonObjectArgs(expr.toOperationNode(), 'agg')})), '[]') from ${expr} as agg)`;
  },
  jsonObjectFrom(expr) {
    return sql<never>`${sql.raw(OBJECT_HEAD)}${jsonObjectArgs(expr.toOperationNode(), 'obj')}) from ${expr} as obj)`;
  },
};

/** `'name', table.name, …` for each column the subquery selects (json_object cannot take `*`). */
function jsonObjectArgs(node: OperationNode, table: string): RawBuilder<unknown> {
  if (!SelectQueryNode.is(node)) throw new Error('json nesting: a nested query must be a select');
  const args = (node.selections ?? []).flatMap(({ selection }): Expression<unknown>[] => {
    const name = selectedName(selection);
    const column = sql.ref(`${table}.${name}`);
    return [sql.lit(name), isNestedJson(selection) ? sql`json(${column})` : column];
  });
  return sql.join(args);
}

function selectedName(selection: OperationNode): string {
  if (ReferenceNode.is(selection) && ColumnNode.is(selection.column)) return selection.column.column.name;
  if (ColumnNode.is(selection)) return selection.column.name;
  if (AliasNode.is(selection) && IdentifierNode.is(selection.alias)) return selection.alias.name;
  throw new Error('json nesting: every selection of a nested query needs a name (no selectAll)');
}

function isNestedJson(selection: OperationNode): boolean {
  if (!AliasNode.is(selection) || !RawNode.is(selection.node)) return false;
  const [head] = selection.node.parameters;
  return head !== undefined && RawNode.is(head) && HEADS.has(head.sqlFragments.join(''));
}
