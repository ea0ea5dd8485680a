import { describe, expect, it } from 'vitest';
import { toPgVector } from './pg-vector';

describe('toPgVector', () => {
  it('writes the pgvector text literal', () => {
    expect(toPgVector([0.1, -0.2, 3, 0])).toBe('[0.1,-0.2,3,0]');
    expect(toPgVector([1e-7])).toBe('[1e-7]');
  });

  it('refuses what pgvector cannot store', () => {
    expect(() => toPgVector([])).toThrow(RangeError);
    expect(() => toPgVector([0.1, Number.NaN])).toThrow(/finite/);
    expect(() => toPgVector([Infinity])).toThrow(/finite/);
  });
});
