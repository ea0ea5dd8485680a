import { describe, expect, it } from 'vitest';
import { murmur3 } from './murmur3';

describe('murmur3', () => {
  it('matches the reference MurmurHash3_x86_32 vectors', () => {
    expect(murmur3('')).toBe(0);
    expect(murmur3('', 1)).toBe(0x514e28b7);
    expect(murmur3('hello')).toBe(0x248bfa47);
    expect(murmur3('Hello, world!')).toBe(0xc0363e43);
    expect(murmur3('Hello, world!', 1234)).toBe(0xfaf6cdb3);
    expect(murmur3('The quick brown fox jumps over the lazy dog')).toBe(0x2e4ff723);
  });

  it('hashes the UTF-8 bytes of non-ASCII text', () => {
    expect(murmur3('ü')).toBe(murmur3('\u00fc'));
    expect(murmur3('ü')).not.toBe(murmur3('u'));
    // A long string grows the scratch buffer without changing results for short ones.
    const long = 'x'.repeat(10_000);
    expect(murmur3(long)).toBe(murmur3(long));
    expect(murmur3('hello')).toBe(0x248bfa47);
  });
});
