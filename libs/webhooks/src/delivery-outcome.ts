export type DeliveryOutcome = 'delivered' | 'retryable' | 'rejected';

/**
 * What a receiver's status code means for the delivery: 2xx delivered; 408, 429 and 5xx
 * worth retrying; redirects (never followed) and other 4xx permanent.
 */
export function outcomeForStatus(status: number): { outcome: DeliveryOutcome; reason?: string } {
  if (status >= 200 && status < 300) return { outcome: 'delivered' };
  if (status >= 300 && status < 400) {
    return {
      outcome: 'rejected',
      reason: `receiver answered a ${status} redirect; redirects are not followed`,
    };
  }
  if (status === 408 || status === 429 || status >= 500) {
    return { outcome: 'retryable', reason: `receiver answered ${status}` };
  }
  return { outcome: 'rejected', reason: `receiver answered ${status}` };
}
