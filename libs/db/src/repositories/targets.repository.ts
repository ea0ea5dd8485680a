import type { Queryable } from '../queryable';
import type { ReadQuery } from '../read-as-tenant';
import type { Cursor } from '../pagination';

export interface TargetRow {
  id: string;
  tenant_id: string;
  kind: 'hostname' | 'ipv4' | 'ipv6' | 'url';
  value: string;
  host: string;
  tags: string[];
  ports: string;
  verification_token: string;
  verified_at: Date | null;
  verified_by_method: 'http' | 'dns' | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS =
  'id, tenant_id, kind, value, host, tags, ports, verification_token, verified_at, verified_by_method, created_by, created_at, updated_at';

export interface NewTarget {
  tenantId: string;
  kind: TargetRow['kind'];
  value: string;
  host: string;
  tags: string[];
  ports: string;
  verificationToken: string;
  createdBy: string;
}

/** Undefined when the tenant already has this (normalised) target. */
export async function insertTarget(client: Queryable, target: NewTarget): Promise<TargetRow | undefined> {
  const { rows } = await client.query<TargetRow>(
    `INSERT INTO targets (tenant_id, kind, value, host, tags, ports, verification_token, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (tenant_id, value) DO NOTHING RETURNING ${COLUMNS}`,
    [
      target.tenantId,
      target.kind,
      target.value,
      target.host,
      target.tags,
      target.ports,
      target.verificationToken,
      target.createdBy,
    ],
  );
  return rows[0];
}

/** The statement findTarget runs (for readAsTenant). */
export function findTargetQuery(tenantId: string, id: string): ReadQuery {
  return { text: `SELECT ${COLUMNS} FROM targets WHERE tenant_id = $1 AND id = $2`, values: [tenantId, id] };
}

export async function findTarget(
  client: Queryable,
  tenantId: string,
  id: string,
): Promise<TargetRow | undefined> {
  const { rows } = await client.query<TargetRow>(findTargetQuery(tenantId, id));
  return rows[0];
}

export async function listTargets(
  client: Queryable,
  tenantId: string,
  filter: { tag?: string; verified?: boolean },
  limit: number,
  after?: Cursor,
): Promise<TargetRow[]> {
  const { rows } = await client.query<TargetRow>(listTargetsQuery(tenantId, filter, limit, after));
  return rows;
}

/** The statement listTargets runs (for readAsTenant): limit + 1 rows, the extra one says there is a next page. */
export function listTargetsQuery(
  tenantId: string,
  filter: { tag?: string; verified?: boolean },
  limit: number,
  after?: Cursor,
): ReadQuery {
  return {
    text: `SELECT ${COLUMNS} FROM targets
      WHERE tenant_id = $1
        AND ($2::text IS NULL OR $2 = ANY (tags))
        AND ($3::boolean IS NULL OR (verified_at IS NOT NULL) = $3)
        AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::uuid))
      ORDER BY created_at DESC, id DESC LIMIT $6`,
    values: [
      tenantId,
      filter.tag ?? null,
      filter.verified ?? null,
      after?.createdAt ?? null,
      after?.id ?? null,
      limit + 1,
    ],
  };
}

export async function updateTarget(
  client: Queryable,
  tenantId: string,
  id: string,
  changes: { tags?: string[]; ports?: string },
): Promise<TargetRow | undefined> {
  const { rows } = await client.query<TargetRow>(
    `UPDATE targets SET tags = COALESCE($3, tags), ports = COALESCE($4, ports), updated_at = now()
      WHERE tenant_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
    [tenantId, id, changes.tags ?? null, changes.ports ?? null],
  );
  return rows[0];
}

export async function markTargetVerified(
  client: Queryable,
  tenantId: string,
  id: string,
  method: 'http' | 'dns',
): Promise<TargetRow | undefined> {
  const { rows } = await client.query<TargetRow>(
    `UPDATE targets SET verified_at = now(), verified_by_method = $3, updated_at = now()
      WHERE tenant_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
    [tenantId, id, method],
  );
  return rows[0];
}

export async function deleteTarget(client: Queryable, tenantId: string, id: string): Promise<boolean> {
  const result = await client.query('DELETE FROM targets WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  return (result.rowCount ?? 0) > 0;
}
