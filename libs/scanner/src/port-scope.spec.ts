import { describe, expect, it } from 'vitest';
import { parsePortScope, PortScopeError } from './port-scope';
import { PROFILE_PORTS } from './scan-profiles';

describe('parsePortScope', () => {
  it('expands ranges and returns sorted, unique ports', () => {
    expect(parsePortScope('8080, 22,80,79-81,22')).toEqual([22, 79, 80, 81, 8080]);
    expect(parsePortScope('22,80,8000-8100')).toHaveLength(2 + 101);
    expect(parsePortScope('65535')).toEqual([65535]);
    expect(parsePortScope('1-3')).toEqual([1, 2, 3]);
  });

  it.each([
    ['', 'empty'],
    ['0', 'outside'],
    ['65536', 'outside'],
    ['80-70', 'ends before'],
    ['22,,80', 'not a port'],
    ['http', 'not a port'],
    ['-5', 'not a port'],
    ['1.5', 'not a port'],
    ['10-20-30', 'not a port'],
  ])('rejects %j', (scope, message) => {
    expect(() => parsePortScope(scope)).toThrowError(PortScopeError);
    expect(() => parsePortScope(scope)).toThrowError(message);
  });
});

describe('PROFILE_PORTS', () => {
  it('lists sorted, unique, valid ports for every profile', () => {
    for (const ports of Object.values(PROFILE_PORTS)) {
      expect([...ports]).toEqual([...new Set(ports)].sort((a, b) => a - b));
      expect(ports.every((port) => Number.isInteger(port) && port >= 1 && port <= 65535)).toBe(true);
    }
  });

  it('has a quick profile of the usual suspects', () => {
    for (const port of [
      21, 22, 23, 25, 53, 80, 110, 143, 443, 445, 993, 995, 2375, 3306, 3389, 5432, 6379, 8080, 8443,
    ])
      expect(PROFILE_PORTS.quick).toContain(port);
    expect(PROFILE_PORTS.quick.length).toBeLessThanOrEqual(25);
  });

  it('grows from quick to standard (about 100) to thorough (1-1024 and common high ports)', () => {
    expect(PROFILE_PORTS.standard.length).toBeGreaterThanOrEqual(90);
    expect(PROFILE_PORTS.standard.length).toBeLessThanOrEqual(120);
    for (const port of PROFILE_PORTS.quick) expect(PROFILE_PORTS.standard).toContain(port);
    for (let port = 1; port <= 1024; port += 1) expect(PROFILE_PORTS.thorough).toContain(port);
    for (const port of PROFILE_PORTS.standard) expect(PROFILE_PORTS.thorough).toContain(port);
    expect(PROFILE_PORTS.thorough).toEqual(
      expect.arrayContaining([2375, 3306, 5432, 6379, 8080, 9200, 27017]),
    );
  });

  it('is frozen', () => {
    expect(Object.isFrozen(PROFILE_PORTS)).toBe(true);
    expect(Object.isFrozen(PROFILE_PORTS.quick)).toBe(true);
  });
});
