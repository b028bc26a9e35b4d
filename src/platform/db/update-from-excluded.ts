/**
 * The SET of an `ON CONFLICT … DO UPDATE` (both dialects spell it alike): every column outside
 * the conflict key takes the value of the row that was offered.
 */
export function updateFromExcluded(columns: Record<string, true>, key: readonly string[]) {
  const updated = Object.keys(columns).filter((column) => !key.includes(column));
  // Kysely types `excluded.<column>` per table; these names come from the table's own column list.
  return ((eb: { ref(reference: string): unknown }) =>
    Object.fromEntries(updated.map((column) => [column, eb.ref(`excluded.${column}`)]))) as never;
}
