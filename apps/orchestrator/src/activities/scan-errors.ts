/**
 * Failure types a retry cannot fix. Activities throw them as non-retryable
 * ApplicationFailures; the workflow lists them so no policy retries them either.
 * Kept free of imports: workflow code reads this file.
 */
export const NON_RETRYABLE_SCAN_ERRORS = [
  'TargetNotFound',
  'TargetNotEligible',
  'TargetUnresolvable',
  'InvalidPortScope',
] as const;
export type NonRetryableScanError = (typeof NON_RETRYABLE_SCAN_ERRORS)[number];
