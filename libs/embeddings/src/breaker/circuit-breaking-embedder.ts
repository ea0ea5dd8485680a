import {
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  handleWhen,
  isBrokenCircuitError,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import { type Logger } from '@xorb/observability';
import { type EmbeddingProvider } from '../embedding-provider';
import { EmbeddingProviderError, EmbeddingsUnavailableError } from '../errors';

export type CircuitStateName = 'closed' | 'open' | 'half-open';

/** What the breaker needs from the platform logger (pino). */
export type BreakerLogger = Pick<Logger, 'info' | 'warn'>;

export interface CircuitBreakingEmbedderOptions {
  logger: BreakerLogger;
  /** How long the circuit stays open before one trial call may go through. Default 30 000 ms. */
  halfOpenAfterMs?: number;
  /** Consecutive failed calls that open the circuit. Default 5. */
  consecutiveFailures?: number;
}

/** A provider whose availability can be watched, e.g. by the metrics helper. */
export interface CircuitStateSource {
  readonly name: string;
  readonly state: CircuitStateName;
  /** Calls `listener` on every state change; returns the function that unsubscribes. */
  onStateChange(listener: (state: CircuitStateName) => void): () => void;
}

/**
 * Wraps an external provider in a circuit breaker (cockatiel). After `consecutiveFailures`
 * failed calls the circuit opens and `embed` rejects at once with EmbeddingsUnavailableError,
 * without calling the provider: store findings without embeddings, and let the backfill
 * embed them later. After `halfOpenAfterMs` the next call is a trial: success closes the
 * circuit, failure opens it again. While the trial runs, other calls are rejected too.
 *
 * Failures that only concern one request (HTTP 400, 413, 422, …) and the caller's own
 * aborts do not count: they say nothing about the provider's health.
 */
export class CircuitBreakingEmbedder implements EmbeddingProvider, CircuitStateSource {
  readonly name: string;
  readonly model: string | undefined;
  readonly dimensions: number;
  private readonly policy: CircuitBreakerPolicy;

  constructor(
    private readonly inner: EmbeddingProvider,
    options: CircuitBreakingEmbedderOptions,
  ) {
    this.name = inner.name;
    this.model = inner.model;
    this.dimensions = inner.dimensions;
    this.policy = circuitBreaker(handleWhen(isOutage), {
      halfOpenAfter: options.halfOpenAfterMs ?? 30_000,
      breaker: new ConsecutiveBreaker(options.consecutiveFailures ?? 5),
    });
    this.logStateChanges(options.logger);
  }

  get state(): CircuitStateName {
    return stateName(this.policy.state);
  }

  onStateChange(listener: (state: CircuitStateName) => void): () => void {
    const subscription = this.policy.onStateChange((state) => listener(stateName(state)));
    return () => subscription.dispose();
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    // cockatiel queues calls behind a half-open trial; fail fast instead.
    if (this.policy.state === CircuitState.HalfOpen) throw this.unavailable();
    try {
      return await this.policy.execute(() => this.callInner(texts, signal), signal);
    } catch (error) {
      if (isBrokenCircuitError(error)) throw this.unavailable();
      if (error instanceof CallerAbort) throw error.reason;
      throw error;
    }
  }

  private async callInner(texts: string[], signal: AbortSignal | undefined): Promise<number[][]> {
    try {
      return await this.inner.embed(texts, signal);
    } catch (error) {
      // The caller gave up; that says nothing about the provider.
      if (signal?.aborted) throw new CallerAbort(error);
      throw error;
    }
  }

  private unavailable(): EmbeddingsUnavailableError {
    const lastFailure = this.policy.lastFailure;
    return new EmbeddingsUnavailableError(this.name, {
      cause: lastFailure && 'error' in lastFailure ? lastFailure.error : undefined,
    });
  }

  private logStateChanges(logger: BreakerLogger): void {
    const provider = this.name;
    this.policy.onBreak((reason) => {
      const cause = 'error' in reason && reason.error instanceof Error ? reason.error.message : undefined;
      logger.warn(
        { provider, circuit: 'open', cause },
        'Embedding provider circuit opened; findings are stored without embeddings until it recovers',
      );
    });
    this.policy.onHalfOpen(() => {
      logger.info(
        { provider, circuit: 'half-open' },
        'Embedding provider circuit half-open; trying one call',
      );
    });
    this.policy.onReset(() => {
      logger.info({ provider, circuit: 'closed' }, 'Embedding provider circuit closed; embedding resumed');
    });
  }
}

/** Whether a failure says the provider is unhealthy (rather than the request or the caller). */
function isOutage(error: unknown): boolean {
  if (error instanceof EmbeddingProviderError) {
    if (error.retryable || error.status === undefined) return true;
    // Credentials, endpoint or method wrong: every request will fail the same way.
    return [401, 403, 404, 405].includes(error.status);
  }
  return !(error instanceof CallerAbort);
}

/** Carries the caller's abort through the breaker without counting it as a failure. */
class CallerAbort extends Error {
  constructor(readonly reason: unknown) {
    super('aborted by the caller');
  }
}

function stateName(state: CircuitState): CircuitStateName {
  switch (state) {
    case CircuitState.Closed:
      return 'closed';
    case CircuitState.HalfOpen:
      return 'half-open';
    case CircuitState.Open:
    case CircuitState.Isolated:
      return 'open';
  }
}
