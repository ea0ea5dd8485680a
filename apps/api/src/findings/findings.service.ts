import { Inject, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import type { api } from '@xorb/contracts';
import {
  findFinding,
  findFindingQuery,
  findingEmbedding,
  listFindingsQuery,
  nearestFindings,
  readAsTenant,
  toPage,
  updateFindingStatus,
  withTenant,
  type Cursor,
  type FindingFilter,
  type FindingRow,
  type FindingStatus,
  type Page,
  type Pool,
} from '@xorb/db';
import { EmbeddingError, toPgVector, type EmbeddingProvider } from '@xorb/embeddings';
import { AuditService } from '../audit/audit.service';
import type { RequestContext } from '../auth/principal';
import { ProblemException } from '../http/problem.exception';
import { EMBEDDER, PG_POOL } from '../tokens';

export type Finding = z.infer<typeof api.finding>;
export type ScoredFinding = z.infer<typeof api.scoredFinding>;

export function toFinding(row: FindingRow): Finding {
  return {
    id: row.id,
    target_id: row.target_id,
    fingerprint: row.fingerprint,
    check_id: row.check_id,
    title: row.title,
    description: row.description,
    severity: row.severity,
    cwe: row.cwe,
    remediation: row.remediation,
    evidence: row.evidence,
    port: row.port,
    status: row.status,
    occurrences: row.occurrences,
    embedded: row.embedding_model !== null,
    first_seen: row.first_seen.toISOString(),
    last_seen: row.last_seen.toISOString(),
    first_scan_id: row.first_scan_id,
    last_scan_id: row.last_scan_id,
  };
}

@Injectable()
export class FindingsService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EMBEDDER) private readonly embedder: EmbeddingProvider | null,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /** Reads go out in one round trip (readAsTenant): role, tenant, read-only and the SELECT. */
  async list(tenantId: string, filter: FindingFilter, limit: number, after?: Cursor): Promise<Page<Finding>> {
    const rows = await readAsTenant<FindingRow>(
      this.pool,
      tenantId,
      listFindingsQuery(tenantId, filter, limit, after),
    );
    return toPage(rows, limit, toFinding);
  }

  async get(tenantId: string, id: string): Promise<Finding> {
    const [row] = await readAsTenant<FindingRow>(this.pool, tenantId, findFindingQuery(tenantId, id));
    if (!row) throw notFound(id);
    return toFinding(row);
  }

  async setStatus(context: RequestContext, id: string, status: FindingStatus): Promise<Finding> {
    const { tenantId } = context.principal;
    const row = await withTenant(this.pool, tenantId, async (client) => {
      const before = await findFinding(client, tenantId, id);
      if (!before) return undefined;
      const updated = await updateFindingStatus(client, tenantId, id, status);
      await this.audit.record(client, context, {
        action: 'finding.status',
        resourceType: 'finding',
        resourceId: id,
        details: { from: before.status, to: status },
      });
      return updated;
    });
    if (!row) throw notFound(id);
    return toFinding(row);
  }

  /** The tenant's findings nearest to this one (cosine, HNSW); never another tenant's. */
  async similar(tenantId: string, id: string, k: number): Promise<{ items: ScoredFinding[] }> {
    return withTenant(this.pool, tenantId, async (client) => {
      const embedding = await findingEmbedding(client, tenantId, id);
      if (embedding === undefined) throw notFound(id);
      if (embedding === null)
        throw new ProblemException(
          409,
          `Finding ${id} has no embedding yet; the embeddings backfill job adds it`,
        );
      return { items: (await nearestFindings(client, tenantId, embedding, k, id)).map(scored) };
    });
  }

  async search(tenantId: string, query: string, k: number): Promise<{ items: ScoredFinding[] }> {
    if (!this.embedder)
      throw new ProblemException(503, 'Similarity search is off: EMBEDDINGS_PROVIDER is none');
    let vector: number[] | undefined;
    try {
      [vector] = await this.embedder.embed([query]);
    } catch (error) {
      if (error instanceof EmbeddingError)
        throw new ProblemException(
          503,
          `The embeddings provider is unavailable: ${error.message}`,
          {},
          { 'retry-after': '30' },
        );
      throw error;
    }
    if (!vector) throw new ProblemException(503, 'The embeddings provider returned nothing');
    return withTenant(this.pool, tenantId, async (client) => ({
      items: (await nearestFindings(client, tenantId, toPgVector(vector), k)).map(scored),
    }));
  }
}

function scored(row: FindingRow & { distance: number }): ScoredFinding {
  return { ...toFinding(row), similarity: Math.round((1 - row.distance) * 10_000) / 10_000 };
}

function notFound(id: string): ProblemException {
  return new ProblemException(404, `No finding ${id} in this tenant`);
}
