/** The pgvector text literal for a vector, e.g. `[0.1,0.2,0.3]`, for a `$1::vector` parameter. */
export function toPgVector(vector: readonly number[]): string {
  if (vector.length === 0) throw new RangeError('pgvector needs at least one dimension');
  for (const value of vector) {
    if (!Number.isFinite(value)) throw new RangeError(`pgvector values must be finite numbers, got ${value}`);
  }
  return `[${vector.join(',')}]`;
}
