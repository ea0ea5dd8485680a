import type { XorbConfig } from '@xorb/config-manager';
import type { Queryable } from '../queryable';

/** Findings still without an embedding, oldest first, across tenants (the backfill runs as the service, not a tenant). */
export async function findingsMissingEmbeddings(client: Queryable, limit: number) {
  const { rows } = await client.query<{
    id: string;
    tenant_id: string;
    title: string;
    description: string;
    evidence: Record<string, unknown>;
  }>(
    `SELECT id, tenant_id, title, description, evidence FROM findings WHERE embedding IS NULL ORDER BY created_at LIMIT $1`,
    [limit],
  );
  return rows;
}

/** Writes an embedding only where none is stored yet, so a rerun never overwrites newer data. */
export async function storeFindingEmbedding(
  client: Queryable,
  id: string,
  embedding: string,
  model: string,
): Promise<boolean> {
  const result = await client.query(
    `UPDATE findings SET embedding = $2::vector, embedding_model = $3 WHERE id = $1 AND embedding IS NULL`,
    [id, embedding, model],
  );
  return (result.rowCount ?? 0) > 0;
}

export interface PurgeCounts {
  scans: number;
  closedFindings: number;
  reports: number;
  webhookDeliveries: number;
  audit: number;
}

/** Deletes what the retention periods have expired. Safe to run any number of times. */
export async function purgeExpired(
  client: Queryable,
  retention: XorbConfig['retention'],
): Promise<PurgeCounts> {
  const count = async (sql: string, days: number) => (await client.query(sql, [days])).rowCount ?? 0;
  return {
    closedFindings: await count(
      `DELETE FROM findings WHERE status IN ('resolved', 'false_positive') AND last_seen < now() - make_interval(days => $1)`,
      retention.closedFindingsDays,
    ),
    reports: await count(
      `DELETE FROM reports WHERE created_at < now() - make_interval(days => $1)`,
      retention.reportsDays,
    ),
    webhookDeliveries: await count(
      `DELETE FROM webhook_deliveries WHERE created_at < now() - make_interval(days => $1)`,
      retention.webhookDeliveriesDays,
    ),
    scans: await count(
      `DELETE FROM scans WHERE status IN ('completed', 'failed', 'cancelled') AND created_at < now() - make_interval(days => $1)`,
      retention.scansDays,
    ),
    audit: await count(
      `DELETE FROM audit_log WHERE created_at < now() - make_interval(days => $1)`,
      retention.auditDays,
    ),
  };
}
