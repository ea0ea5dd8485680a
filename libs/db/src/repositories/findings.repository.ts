import type { Cursor } from '../pagination';
import type { Queryable } from '../queryable';
import type { ReadQuery } from '../read-as-tenant';

export type FindingStatus = 'open' | 'acknowledged' | 'resolved' | 'false_positive';
export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

export interface FindingRow {
  id: string;
  tenant_id: string;
  target_id: string;
  fingerprint: string;
  check_id: string;
  title: string;
  description: string;
  severity: Severity;
  cwe: string;
  remediation: string;
  evidence: Record<string, unknown>;
  port: number | null;
  status: FindingStatus;
  occurrences: number;
  first_seen: Date;
  last_seen: Date;
  first_scan_id: string | null;
  last_scan_id: string | null;
  embedding_model: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, tenant_id, target_id, fingerprint, check_id, title, description, severity, cwe, remediation, evidence, port,
  status, occurrences, first_seen, last_seen, first_scan_id, last_scan_id, embedding_model, created_at, updated_at`;

export interface FindingUpsert {
  tenantId: string;
  targetId: string;
  scanId: string;
  fingerprint: string;
  checkId: string;
  title: string;
  description: string;
  severity: Severity;
  cwe: string;
  remediation: string;
  evidence: Record<string, unknown>;
  port: number | null;
  /** pgvector text literal, or null when no embedding could be made. */
  embedding: string | null;
  embeddingModel: string | null;
}

/**
 * Inserts a finding, or, when its fingerprint is known, refreshes it: last_seen
 * moves, a resolved finding reopens, and one scan counts once however often it
 * retries. `inserted` tells new findings from ones seen again.
 */
export async function upsertFinding(
  client: Queryable,
  finding: FindingUpsert,
): Promise<{ row: FindingRow; inserted: boolean }> {
  const { rows } = await client.query<FindingRow & { inserted: boolean }>(
    `INSERT INTO findings (tenant_id, target_id, fingerprint, check_id, title, description, severity, cwe, remediation, evidence, port,
                           first_scan_id, last_scan_id, embedding, embedding_model)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13::vector, $14)
     ON CONFLICT (tenant_id, fingerprint) DO UPDATE SET
        last_seen = now(),
        title = EXCLUDED.title,
        description = EXCLUDED.description,
        severity = EXCLUDED.severity,
        remediation = EXCLUDED.remediation,
        evidence = EXCLUDED.evidence,
        status = CASE WHEN findings.status = 'resolved' THEN 'open' ELSE findings.status END,
        occurrences = findings.occurrences + CASE WHEN findings.last_scan_id IS DISTINCT FROM EXCLUDED.last_scan_id THEN 1 ELSE 0 END,
        last_scan_id = EXCLUDED.last_scan_id,
        embedding = COALESCE(EXCLUDED.embedding, findings.embedding),
        embedding_model = COALESCE(EXCLUDED.embedding_model, findings.embedding_model),
        updated_at = now()
     RETURNING ${COLUMNS}, (xmax = 0) AS inserted`,
    [
      finding.tenantId,
      finding.targetId,
      finding.fingerprint,
      finding.checkId,
      finding.title,
      finding.description,
      finding.severity,
      finding.cwe,
      finding.remediation,
      finding.evidence,
      finding.port,
      finding.scanId,
      finding.embedding,
      finding.embeddingModel,
    ],
  );
  const { inserted, ...row } = rows[0] as FindingRow & { inserted: boolean };
  return { row, inserted };
}

/** The statement findFinding runs (for readAsTenant). */
export function findFindingQuery(tenantId: string, id: string): ReadQuery {
  return { text: `SELECT ${COLUMNS} FROM findings WHERE tenant_id = $1 AND id = $2`, values: [tenantId, id] };
}

export async function findFinding(
  client: Queryable,
  tenantId: string,
  id: string,
): Promise<FindingRow | undefined> {
  const { rows } = await client.query<FindingRow>(findFindingQuery(tenantId, id));
  return rows[0];
}

export interface FindingFilter {
  status?: FindingStatus;
  severity?: Severity;
  targetId?: string;
  checkId?: string;
  scanId?: string;
}

export async function listFindings(
  client: Queryable,
  tenantId: string,
  filter: FindingFilter,
  limit: number,
  after?: Cursor,
): Promise<FindingRow[]> {
  const { rows } = await client.query<FindingRow>(listFindingsQuery(tenantId, filter, limit, after));
  return rows;
}

/** The statement listFindings runs (for readAsTenant). */
export function listFindingsQuery(
  tenantId: string,
  filter: FindingFilter,
  limit: number,
  after?: Cursor,
): ReadQuery {
  return {
    text: `SELECT ${COLUMNS} FROM findings
      WHERE tenant_id = $1
        AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR severity = $3)
        AND ($4::uuid IS NULL OR target_id = $4) AND ($5::text IS NULL OR check_id = $5)
        AND ($6::uuid IS NULL OR last_scan_id = $6)
        AND ($7::timestamptz IS NULL OR (created_at, id) < ($7::timestamptz, $8::uuid))
      ORDER BY created_at DESC, id DESC LIMIT $9`,
    values: [
      tenantId,
      filter.status ?? null,
      filter.severity ?? null,
      filter.targetId ?? null,
      filter.checkId ?? null,
      filter.scanId ?? null,
      after?.createdAt ?? null,
      after?.id ?? null,
      limit + 1,
    ],
  };
}

export async function updateFindingStatus(
  client: Queryable,
  tenantId: string,
  id: string,
  status: FindingStatus,
): Promise<FindingRow | undefined> {
  const { rows } = await client.query<FindingRow>(
    `UPDATE findings SET status = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
    [tenantId, id, status],
  );
  return rows[0];
}

/**
 * The HNSW candidate list of `nearestFindings`: the smallest that keeps recall@10 ≥ 0.95 for a
 * tenant owning a small share of the index (the tenant filter discards most candidates, so
 * such a tenant needs a longer list). bench/ (vector area, 100k findings × 384, and a
 * 10k-finding tenant sharing the index), recall@10 whole index / tenant: ef 100 0.971 / 0.910,
 * ef 200 0.987 / 0.949, ef 300 0.990 / 0.975; p95 rises ~1.5 ms per 100.
 */
export const NEAREST_FINDINGS_EF_SEARCH = 250;

/**
 * Nearest findings of the tenant by cosine distance over the HNSW index. The
 * iterative scan keeps returning k rows even when the tenant filter discards many.
 */
export async function nearestFindings(
  client: Queryable,
  tenantId: string,
  embedding: string,
  k: number,
  excludeId?: string,
): Promise<Array<FindingRow & { distance: number }>> {
  // One round trip for both settings (simple protocol, no parameters).
  await client.query(
    `SET LOCAL hnsw.iterative_scan = relaxed_order; SET LOCAL hnsw.ef_search = ${NEAREST_FINDINGS_EF_SEARCH}`,
  );
  const { rows } = await client.query<FindingRow & { distance: number }>(
    `SELECT * FROM (
       SELECT ${COLUMNS}, embedding <=> $2::vector AS distance FROM findings
        WHERE tenant_id = $1 AND embedding IS NOT NULL AND ($4::uuid IS NULL OR id <> $4)
        ORDER BY embedding <=> $2::vector LIMIT $3
     ) nearest ORDER BY distance`,
    [tenantId, embedding, k, excludeId ?? null],
  );
  return rows;
}

export async function findingEmbedding(
  client: Queryable,
  tenantId: string,
  id: string,
): Promise<string | null | undefined> {
  const { rows } = await client.query<{ embedding: string | null }>(
    `SELECT embedding::text FROM findings WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id],
  );
  return rows[0] ? rows[0].embedding : undefined;
}

/** The column's dimension, so services can refuse an EMBEDDINGS_DIMENSIONS that does not fit it. */
export async function findingEmbeddingDimensions(client: Queryable): Promise<number | undefined> {
  const { rows } = await client.query<{ dims: number }>(
    `SELECT atttypmod AS dims FROM pg_attribute WHERE attrelid = to_regclass('findings') AND attname = 'embedding'`,
  );
  return rows[0]?.dims;
}
