/** Opaque keyset cursor over (created_at DESC, id DESC), the order of every list. */
export interface Cursor {
  createdAt: string;
  id: string;
}

export function encodeCursor(row: { created_at: Date | string; id: string }): string {
  const createdAt = row.created_at instanceof Date ? row.created_at.toISOString() : row.created_at;
  return Buffer.from(JSON.stringify([createdAt, row.id])).toString('base64url');
}

/** Returns undefined for a cursor that was not made by encodeCursor. */
export function decodeCursor(cursor: string): Cursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [createdAt, id] = value as unknown[];
    if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt))) return undefined;
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id)) return undefined;
    return { createdAt, id };
  } catch {
    return undefined;
  }
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** Rows fetched with LIMIT limit+1: the extra row only says whether there is a next page. */
export function toPage<Row extends { created_at: Date | string; id: string }, T>(
  rows: Row[],
  limit: number,
  map: (row: Row) => T,
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(map), next_cursor: rows.length > limit && last ? encodeCursor(last) : null };
}
