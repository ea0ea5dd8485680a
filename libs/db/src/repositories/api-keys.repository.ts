import type { Queryable } from '../queryable';
import type { Cursor } from '../pagination';

export interface ApiKeyRow {
  id: string;
  tenant_id: string;
  name: string;
  prefix: string;
  secret_hash: string;
  role: 'admin' | 'analyst' | 'viewer';
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const COLUMNS =
  'id, tenant_id, name, prefix, secret_hash, role, created_at, expires_at, revoked_at, last_used_at';

/** Authentication looks a key up by its public prefix before the tenant is known. */
export async function findApiKeyByPrefix(client: Queryable, prefix: string): Promise<ApiKeyRow | undefined> {
  const { rows } = await client.query<ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE prefix = $1`, [
    prefix,
  ]);
  return rows[0];
}

export async function findApiKey(
  client: Queryable,
  tenantId: string,
  id: string,
): Promise<ApiKeyRow | undefined> {
  const { rows } = await client.query<ApiKeyRow>(
    `SELECT ${COLUMNS} FROM api_keys WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id],
  );
  return rows[0];
}

/** Written at most once a minute per key, so busy keys do not turn every request into a write. */
export async function touchApiKey(client: Queryable, id: string): Promise<void> {
  await client.query(
    `UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [id],
  );
}

export async function listApiKeys(
  client: Queryable,
  tenantId: string,
  limit: number,
  after?: Cursor,
): Promise<ApiKeyRow[]> {
  const { rows } = await client.query<ApiKeyRow>(
    `SELECT ${COLUMNS} FROM api_keys
      WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
      ORDER BY created_at DESC, id DESC LIMIT $4`,
    [tenantId, after?.createdAt ?? null, after?.id ?? null, limit + 1],
  );
  return rows;
}

export async function insertApiKey(
  client: Queryable,
  key: {
    tenantId: string;
    name: string;
    prefix: string;
    secretHash: string;
    role: ApiKeyRow['role'];
    createdBy: string | null;
    expiresAt: Date | null;
  },
): Promise<ApiKeyRow> {
  const { rows } = await client.query<ApiKeyRow>(
    `INSERT INTO api_keys (tenant_id, name, prefix, secret_hash, role, created_by, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
    [key.tenantId, key.name, key.prefix, key.secretHash, key.role, key.createdBy, key.expiresAt],
  );
  return rows[0] as ApiKeyRow;
}

export async function revokeApiKey(
  client: Queryable,
  tenantId: string,
  id: string,
): Promise<ApiKeyRow | undefined> {
  const { rows } = await client.query<ApiKeyRow>(
    `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE tenant_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
    [tenantId, id],
  );
  return rows[0];
}

export async function findApiKeyById(client: Queryable, id: string): Promise<ApiKeyRow | undefined> {
  const { rows } = await client.query<ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1`, [id]);
  return rows[0];
}
