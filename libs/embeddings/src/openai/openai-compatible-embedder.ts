import { type EmbeddingProvider } from '../embedding-provider';
import { EmbeddingProviderError } from '../errors';
import { abortableSleep } from './abortable-sleep';
import { describeEndpoint, embeddingsEndpoint } from './endpoint';
import { vectorsFromResponse } from './embeddings-response';
import { describeErrorBody } from './error-body';
import { backoffDelayMs, isRetryableStatus, retryAfterMs } from './retry-timing';

export interface OpenAiCompatibleEmbedderOptions {
  /** Base URL of the OpenAI-style API, e.g. `http://ollama:11434/v1`; `/embeddings` is appended. */
  url: string;
  model: string;
  /** Length every returned vector must have. */
  dimensions: number;
  /** Sent as `Authorization: Bearer …`; never appears in errors or logs. */
  apiKey?: string;
  /**
   * Send `dimensions` in the request body, for models that can shorten their output
   * (OpenAI text-embedding-3-*). Default false: most servers reject or ignore it.
   */
  sendDimensions?: boolean;
  /** Timeout of each HTTP request, in milliseconds. Default 30 000. */
  timeoutMs?: number;
  /** Texts per request. Default 32 (TEI's default client batch limit; OpenAI allows 2048). */
  batchSize?: number;
  /** Retries of one batch after a 408/425/429/5xx, a timeout or a network error. Default 3. */
  maxRetries?: number;
  /** First backoff delay; it doubles each retry, with jitter. Default 500 ms. */
  retryBaseDelayMs?: number;
  /** Cap of the backoff delay. Default 10 000 ms. */
  retryMaxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the call fails (retryable). Default 60 000 ms. */
  maxRetryAfterMs?: number;
  /** Extra request fields, e.g. `{ input_type: 'passage', truncate: 'END' }` for NVIDIA NIM retrievers. */
  extraBody?: Readonly<Record<string, unknown>>;
  /** Name in logs and metrics. Default `openai-compatible`. */
  name?: string;
  fetch?: typeof globalThis.fetch;
}

/**
 * Embeds through `POST {url}/embeddings`, the wire format shared by OpenAI, NVIDIA NIM,
 * Ollama (`/v1`) and Hugging Face TEI. Splits inputs into batches, times out each request,
 * and retries transient failures with exponential backoff and jitter, honouring Retry-After.
 */
export class OpenAiCompatibleEmbedder implements EmbeddingProvider {
  readonly name: string;
  readonly model: string;
  readonly dimensions: number;
  readonly endpoint: string;
  private readonly url: URL;
  private readonly source: string;
  private readonly settings: Required<
    Pick<
      OpenAiCompatibleEmbedderOptions,
      'timeoutMs' | 'batchSize' | 'maxRetries' | 'retryBaseDelayMs' | 'retryMaxDelayMs' | 'maxRetryAfterMs'
    >
  >;
  private readonly bodyFields: Readonly<Record<string, unknown>>;
  private readonly fetchImpl: typeof globalThis.fetch;
  // ES private fields stay out of JSON.stringify, util.inspect and structured logs.
  readonly #headers: Readonly<Record<string, string>>;
  readonly #secrets: readonly string[];

  constructor(options: OpenAiCompatibleEmbedderOptions) {
    this.name = options.name ?? 'openai-compatible';
    this.model = options.model;
    this.dimensions = positiveInteger('dimensions', options.dimensions);
    this.url = embeddingsEndpoint(options.url);
    this.endpoint = describeEndpoint(this.url);
    this.source = `Embedding provider ${this.name} (model ${this.model}) at ${this.endpoint}`;
    this.settings = {
      timeoutMs: positiveInteger('timeoutMs', options.timeoutMs ?? 30_000),
      batchSize: positiveInteger('batchSize', options.batchSize ?? 32),
      maxRetries: nonNegativeInteger('maxRetries', options.maxRetries ?? 3),
      retryBaseDelayMs: nonNegativeInteger('retryBaseDelayMs', options.retryBaseDelayMs ?? 500),
      retryMaxDelayMs: nonNegativeInteger('retryMaxDelayMs', options.retryMaxDelayMs ?? 10_000),
      maxRetryAfterMs: nonNegativeInteger('maxRetryAfterMs', options.maxRetryAfterMs ?? 60_000),
    };
    this.bodyFields = {
      ...options.extraBody,
      model: options.model,
      encoding_format: 'float',
      ...(options.sendDimensions ? { dimensions: this.dimensions } : {}),
    };
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': 'xorb-embeddings',
    };
    if (options.apiKey) headers['authorization'] = `Bearer ${options.apiKey}`;
    this.#headers = headers;
    this.#secrets = options.apiKey ? [options.apiKey] : [];
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    signal?.throwIfAborted();
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += this.settings.batchSize) {
      const batch = texts.slice(start, start + this.settings.batchSize);
      vectors.push(...(await this.embedBatch(batch, signal)));
    }
    return vectors;
  }

  private async embedBatch(batch: string[], signal: AbortSignal | undefined): Promise<number[][]> {
    const { maxRetries, retryBaseDelayMs, retryMaxDelayMs, maxRetryAfterMs } = this.settings;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.request(batch, signal);
      } catch (error) {
        // Anything else is the caller's abort: pass it on untouched.
        if (!(error instanceof EmbeddingProviderError)) throw error;
        const delay = error.retryAfterMs ?? backoffDelayMs(attempt - 1, retryBaseDelayMs, retryMaxDelayMs);
        if (!error.retryable || attempt > maxRetries || delay > maxRetryAfterMs)
          throw error.afterAttempts(attempt);
        await abortableSleep(delay, signal);
      }
    }
  }

  /** One HTTP request for one batch, without retries. */
  private async request(batch: string[], signal: AbortSignal | undefined): Promise<number[][]> {
    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    let response: Response;
    let body: string;
    try {
      response = await this.fetchImpl(this.url, {
        method: 'POST',
        headers: this.#headers,
        body: JSON.stringify({ ...this.bodyFields, input: batch }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      body = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) {
        throw new EmbeddingProviderError(
          `${this.source} did not answer within ${this.settings.timeoutMs} ms`,
          {
            code: 'timeout',
            retryable: true,
          },
        );
      }
      throw new EmbeddingProviderError(`${this.source} could not be reached: ${networkFailure(error)}`, {
        code: 'network',
        retryable: true,
        cause: error,
      });
    }
    if (!response.ok) throw this.statusError(response, body);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new EmbeddingProviderError(
        `${this.source} answered HTTP ${response.status} with a body that is not JSON`,
        {
          code: 'bad_response',
          retryable: false,
          status: response.status,
        },
      );
    }
    return vectorsFromResponse(json, {
      count: batch.length,
      dimensions: this.dimensions,
      source: this.source,
    });
  }

  private statusError(response: Response, body: string): EmbeddingProviderError {
    const detail = describeErrorBody(body, this.#secrets);
    return new EmbeddingProviderError(
      `${this.source} answered HTTP ${response.status}${detail ? `: ${detail}` : ''}`,
      {
        code: 'http_status',
        retryable: isRetryableStatus(response.status),
        status: response.status,
        retryAfterMs: retryAfterMs(response.headers),
      },
    );
  }
}

/** The most specific description of a fetch failure, e.g. `ECONNREFUSED 127.0.0.1:9`. */
function networkFailure(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  return value;
}
