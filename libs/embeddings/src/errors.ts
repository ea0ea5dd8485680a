/** Base class of every error this library throws on purpose; callers may store findings unembedded. */
export class EmbeddingError extends Error {
  override readonly name: string = 'EmbeddingError';
}

/** Why a request to an embedding provider failed. */
export type EmbeddingFailureCode =
  'http_status' | 'timeout' | 'network' | 'bad_response' | 'dimension_mismatch';

export interface EmbeddingProviderErrorDetails {
  code: EmbeddingFailureCode;
  /** Whether the same request may succeed later (429, 5xx, timeouts, network errors). */
  retryable: boolean;
  /** The HTTP status, when the provider answered. */
  status?: number;
  /** How many requests were made before giving up. */
  attempts?: number;
  /** The provider's Retry-After, in milliseconds, when it sent one. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * A provider request failed. Messages name the endpoint without credentials and never
 * contain the API key.
 */
export class EmbeddingProviderError extends EmbeddingError {
  override readonly name = 'EmbeddingProviderError';
  readonly code: EmbeddingFailureCode;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly attempts: number;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, details: EmbeddingProviderErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = details.code;
    this.retryable = details.retryable;
    this.status = details.status;
    this.attempts = details.attempts ?? 1;
    this.retryAfterMs = details.retryAfterMs;
  }

  /** The same failure, reported after `attempts` requests. */
  afterAttempts(attempts: number): EmbeddingProviderError {
    const suffix = attempts > 1 ? ` (gave up after ${attempts} attempts)` : '';
    return new EmbeddingProviderError(`${this.message}${suffix}`, {
      code: this.code,
      retryable: this.retryable,
      status: this.status,
      attempts,
      retryAfterMs: this.retryAfterMs,
      cause: this.cause,
    });
  }
}

/**
 * The provider is known to be unavailable (its circuit is open), so the call was not made.
 * Store the finding without an embedding; the backfill job embeds it later.
 */
export class EmbeddingsUnavailableError extends EmbeddingError {
  override readonly name = 'EmbeddingsUnavailableError';
  readonly provider: string;

  constructor(provider: string, options?: { cause?: unknown }) {
    super(
      `Embedding provider ${provider} is unavailable (circuit open); embed later`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.provider = provider;
  }
}
