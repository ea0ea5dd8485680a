import { describe, expect, it } from 'vitest';
import { outcomeForStatus } from './delivery-outcome';

describe('outcomeForStatus', () => {
  it.each([
    [200, 'delivered'],
    [202, 'delivered'],
    [204, 'delivered'],
    [301, 'rejected'],
    [302, 'rejected'],
    [307, 'rejected'],
    [400, 'rejected'],
    [401, 'rejected'],
    [404, 'rejected'],
    [410, 'rejected'],
    [408, 'retryable'],
    [429, 'retryable'],
    [500, 'retryable'],
    [502, 'retryable'],
    [503, 'retryable'],
  ])('%i is %s', (status, outcome) => {
    expect(outcomeForStatus(status).outcome).toBe(outcome);
  });

  it('explains redirects', () => {
    expect(outcomeForStatus(308).reason).toContain('redirects are not followed');
  });
});
