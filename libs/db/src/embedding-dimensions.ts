import type { XorbConfig } from '@xorb/config-manager';
import type { Queryable } from './queryable';
import { findingEmbeddingDimensions } from './repositories/findings.repository';

export class EmbeddingDimensionsMismatch extends Error {
  override name = 'EmbeddingDimensionsMismatch';
}

/**
 * Refuses to start when EMBEDDINGS_DIMENSIONS does not fit the findings.embedding
 * column: every write would fail later, one finding at a time.
 */
export async function assertEmbeddingDimensions(
  client: Queryable,
  config: Pick<XorbConfig, 'embeddings'>,
): Promise<void> {
  if (config.embeddings.provider === 'none') return;
  const column = await findingEmbeddingDimensions(client);
  if (column !== undefined && column !== config.embeddings.dimensions) {
    throw new EmbeddingDimensionsMismatch(
      `EMBEDDINGS_DIMENSIONS is ${config.embeddings.dimensions} but findings.embedding holds vector(${column}); set EMBEDDINGS_DIMENSIONS=${column} or migrate the column`,
    );
  }
}
