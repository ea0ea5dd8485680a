export type UndeliverableReason =
  'invalid-url' | 'unsupported-scheme' | 'credentials' | 'metadata' | 'blocked-address' | 'unresolvable';

/**
 * A webhook URL the SSRF guard refuses. The message names the host and address, never
 * the full URL (its path or query may carry the customer's tokens).
 */
export class UndeliverableUrlError extends Error {
  override readonly name = 'UndeliverableUrlError';

  constructor(
    readonly reason: UndeliverableReason,
    message: string,
    /** True when trying again later may succeed (a DNS failure); false for a policy refusal. */
    readonly retryable = false,
  ) {
    super(message);
  }
}
