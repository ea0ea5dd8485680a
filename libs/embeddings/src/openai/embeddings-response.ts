import { z } from 'zod';
import { EmbeddingProviderError } from '../errors';

const embeddingsResponseSchema = z.object({
  data: z.array(
    z.object({
      embedding: z.array(z.number()),
      index: z.number().int().nonnegative().optional(),
    }),
  ),
});

export interface ExpectedVectors {
  /** How many texts were sent. */
  count: number;
  dimensions: number;
  /** Prefix for messages, e.g. `Embedding provider at http://host/v1/embeddings`. */
  source: string;
}

/**
 * The vectors of an OpenAI-style embeddings response, in input order (by each item's
 * `index`, or by position when the server sends none). Throws a non-retryable
 * EmbeddingProviderError when the shape, count, indexes or dimensions are wrong.
 */
export function vectorsFromResponse(body: unknown, expected: ExpectedVectors): number[][] {
  const parsed = embeddingsResponseSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw badResponse(
      `${expected.source} sent an invalid embeddings response (${where}${issue?.message ?? 'unknown'})`,
    );
  }
  const { data } = parsed.data;
  if (data.length !== expected.count) {
    throw badResponse(`${expected.source} returned ${data.length} embeddings for ${expected.count} inputs`);
  }
  const ordered: (number[] | undefined)[] = new Array(expected.count);
  data.forEach((item, position) => {
    const index = item.index ?? position;
    if (index >= expected.count || ordered[index] !== undefined) {
      throw badResponse(`${expected.source} returned an unexpected or repeated embedding index ${index}`);
    }
    if (item.embedding.length !== expected.dimensions) {
      throw new EmbeddingProviderError(
        `${expected.source} returned ${item.embedding.length}-dimensional embeddings, but ${expected.dimensions} ` +
          'dimensions are configured (EMBEDDINGS_DIMENSIONS must match the model, or the model must accept `dimensions`)',
        { code: 'dimension_mismatch', retryable: false },
      );
    }
    ordered[index] = item.embedding;
  });
  // Counts match and indexes are unique and in range, so every slot is filled.
  return ordered.map((vector) => vector ?? []);
}

function badResponse(message: string): EmbeddingProviderError {
  return new EmbeddingProviderError(message, { code: 'bad_response', retryable: false });
}
