/**
 * Turns texts into fixed-length vectors. Implementations return one vector per input text,
 * in input order, each with exactly `dimensions` entries.
 */
export interface EmbeddingProvider {
  /** Short, stable name; used in logs and as the `provider` metrics label. */
  readonly name: string;
  /**
   * What produced the vectors (e.g. `xorb-hashing-v1`, `text-embedding-3-small`). Vectors of
   * different models are not comparable: store it beside each embedding.
   */
  readonly model?: string;
  readonly dimensions: number;
  embed(texts: string[], signal?: AbortSignal): Promise<number[][]>;
}
