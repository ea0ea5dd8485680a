import { describe, expect, it } from 'vitest';
import { canonicalize, canonicalJson } from './canonical-json';

describe('canonicalize', () => {
  it('sorts object keys at every depth by code unit, keeping array order', () => {
    const value = { b: 1, a: { z: [3, { y: 1, x: 2 }], Z: true }, ä: 0, B: null };
    expect(canonicalJson(value)).toBe(
      JSON.stringify({ B: null, a: { Z: true, z: [3, { x: 2, y: 1 }] }, b: 1, ä: 0 }, null, 2),
    );
  });

  it('follows JSON.stringify for dates, undefined, functions and non-finite numbers', () => {
    expect(
      canonicalize({
        when: new Date('2026-01-01T00:00:00Z'),
        gone: undefined,
        fn: () => 1,
        list: [undefined, NaN, Infinity],
      }),
    ).toEqual({ list: [null, null, null], when: '2026-01-01T00:00:00.000Z' });
  });

  it('turns BigInts into strings and cycles into a marker instead of throwing', () => {
    const cyclic: Record<string, unknown> = { n: 10n };
    cyclic.self = cyclic;
    expect(canonicalize(cyclic)).toEqual({ n: '10', self: '[Circular]' });
    // A repeated (not cyclic) reference is kept.
    const shared = { v: 1 };
    expect(canonicalize({ a: shared, b: shared })).toEqual({ a: { v: 1 }, b: { v: 1 } });
  });

  it('keeps a "__proto__" key as data', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as unknown;
    const result = canonicalize(parsed) as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(JSON.stringify(result)).toBe('{"__proto__":{"polluted":true},"a":1}');
  });
});
