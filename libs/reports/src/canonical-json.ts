import { compareCodeUnits } from './code-unit-order';

/**
 * Turns a value into plain JSON data with object keys sorted, so that two equal evidence
 * objects serialise to the same text whatever order their keys were built in (JSONB, for
 * one, does not keep key order). JSON.stringify's rules apply otherwise: toJSON is
 * honoured, undefined/functions/symbols are dropped from objects and become null in
 * arrays, non-finite numbers become null. BigInts become strings and cycles "[Circular]",
 * where JSON.stringify would throw.
 */
export function canonicalize(value: unknown): unknown {
  return toCanonical(value, new Set());
}

/** Canonical JSON text: sorted keys, two-space indentation. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value), null, 2) ?? 'null';
}

function toCanonical(value: unknown, ancestors: Set<object>): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return undefined;
  if (ancestors.has(value)) return '[Circular]';
  const withToJson = value as { toJSON?: unknown };
  if (typeof withToJson.toJSON === 'function') {
    return toCanonical((withToJson.toJSON as () => unknown).call(value), ancestors);
  }
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      return value.map((item: unknown) => toCanonical(item, ancestors) ?? null);
    }
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort(compareCodeUnits)) {
      const item = toCanonical((value as Record<string, unknown>)[key], ancestors);
      // defineProperty, not assignment: a "__proto__" key in evidence must stay a plain key.
      if (item !== undefined)
        Object.defineProperty(result, key, {
          value: item,
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return result;
  } finally {
    ancestors.delete(value);
  }
}
