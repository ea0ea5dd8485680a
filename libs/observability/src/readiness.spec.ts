import { describe, expect, it } from 'vitest';
import { checkReadiness } from './readiness';

describe('checkReadiness', () => {
  it('is ready when every dependency answers', async () => {
    const report = await checkReadiness([
      { name: 'postgres', check: async () => undefined },
      { name: 'redis', check: async () => undefined },
    ]);
    expect(report.status).toBe('ready');
    expect(report.failing).toEqual([]);
    expect(report.checks.postgres?.status).toBe('up');
  });

  it('names each failing dependency and why', async () => {
    const report = await checkReadiness([
      { name: 'postgres', check: async () => undefined },
      { name: 'redis', check: async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')) },
    ]);
    expect(report.status).toBe('unavailable');
    expect(report.failing).toEqual(['redis']);
    expect(report.checks.redis).toMatchObject({
      status: 'down',
      error: 'connect ECONNREFUSED 127.0.0.1:6379',
    });
  });

  it('treats a dependency that hangs as down, and aborts its check', async () => {
    let aborted = false;
    const report = await checkReadiness(
      [
        {
          name: 'temporal',
          check: (signal) =>
            new Promise(() => {
              signal.addEventListener('abort', () => (aborted = true));
            }),
        },
      ],
      50,
    );
    expect(report.failing).toEqual(['temporal']);
    expect(report.checks.temporal?.error).toMatch(/no answer within 50 ms/);
    expect(aborted).toBe(true);
  });
});
