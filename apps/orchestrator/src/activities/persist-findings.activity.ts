import { Context } from '@temporalio/activity';
import { upsertFinding, withTenant, type Pool } from '@xorb/db';
import { EmbeddingError, findingEmbeddingText, toPgVector, type EmbeddingProvider } from '@xorb/embeddings';
import type { Logger } from '@xorb/observability';
import type { FindingDraft } from '@xorb/scanner';
import type { Counter } from 'prom-client';

export interface PersistFindingsInput {
  scanId: string;
  tenantId: string;
  targetId: string;
  drafts: FindingDraft[];
}

export interface PersistDependencies {
  pool: Pool;
  embedder: EmbeddingProvider | undefined;
  logger: Logger;
  findingsCounter: Counter<'severity' | 'outcome'>;
}

/**
 * Upserts findings by fingerprint (seen again: last_seen moves, resolved reopens,
 * never a duplicate) with their embeddings. When the embeddings provider is
 * unavailable the findings are stored without them; the backfill job adds them.
 */
export async function persistFindings(
  deps: PersistDependencies,
  input: PersistFindingsInput,
): Promise<{ findingsNew: number; findingsSeen: number }> {
  const vectors = await embedAll(deps, input.drafts);
  const counts = await withTenant(deps.pool, input.tenantId, async (client) => {
    let findingsNew = 0;
    for (const [index, draft] of input.drafts.entries()) {
      const vector = vectors?.[index];
      const { inserted } = await upsertFinding(client, {
        tenantId: input.tenantId,
        targetId: input.targetId,
        scanId: input.scanId,
        fingerprint: draft.fingerprint,
        checkId: draft.checkId,
        title: draft.title,
        description: draft.description,
        severity: draft.severity,
        cwe: draft.cwe,
        remediation: draft.remediation,
        evidence: draft.evidence,
        port: draft.port ?? null,
        embedding: vector ? toPgVector(vector) : null,
        embeddingModel: vector && deps.embedder ? (deps.embedder.model ?? deps.embedder.name) : null,
      });
      if (inserted) findingsNew += 1;
      deps.findingsCounter.inc({ severity: draft.severity, outcome: inserted ? 'new' : 'seen' });
    }
    return { findingsNew, findingsSeen: input.drafts.length - findingsNew };
  });
  return counts;
}

async function embedAll(deps: PersistDependencies, drafts: FindingDraft[]): Promise<number[][] | undefined> {
  if (!deps.embedder || drafts.length === 0) return undefined;
  try {
    return await deps.embedder.embed(drafts.map(findingEmbeddingText), Context.current().cancellationSignal);
  } catch (error) {
    if (!(error instanceof EmbeddingError)) throw error;
    deps.logger.warn(
      { error: error.message, provider: deps.embedder.name },
      'Embeddings unavailable; storing findings without them for the backfill',
    );
    return undefined;
  }
}
