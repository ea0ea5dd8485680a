import type { Queryable } from '../queryable';
import type { Cursor } from '../pagination';

export interface UserRow {
  id: string;
  tenant_id: string;
  email: string;
  password_hash: string | null;
  role: 'admin' | 'analyst' | 'viewer';
  disabled_at: Date | null;
  created_at: Date;
}

const COLUMNS = 'id, tenant_id, email, password_hash, role, disabled_at, created_at';

/** Sign-in runs before the tenant is known, so it looks the user up by tenant slug. */
export async function findUserForSignIn(
  client: Queryable,
  tenantSlug: string,
  email: string,
): Promise<UserRow | undefined> {
  const { rows } = await client.query<UserRow>(
    `SELECT u.id, u.tenant_id, u.email, u.password_hash, u.role, u.disabled_at, u.created_at
       FROM users u JOIN tenants t ON t.id = u.tenant_id
      WHERE t.slug = $1 AND u.email = $2`,
    [tenantSlug, email],
  );
  return rows[0];
}

export async function findUser(
  client: Queryable,
  tenantId: string,
  id: string,
): Promise<UserRow | undefined> {
  const { rows } = await client.query<UserRow>(
    `SELECT ${COLUMNS} FROM users WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id],
  );
  return rows[0];
}

export async function listUsers(
  client: Queryable,
  tenantId: string,
  limit: number,
  after?: Cursor,
): Promise<UserRow[]> {
  const { rows } = await client.query<UserRow>(
    `SELECT ${COLUMNS} FROM users
      WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
      ORDER BY created_at DESC, id DESC LIMIT $4`,
    [tenantId, after?.createdAt ?? null, after?.id ?? null, limit + 1],
  );
  return rows;
}

export async function insertUser(
  client: Queryable,
  user: { tenantId: string; email: string; passwordHash: string; role: UserRow['role'] },
): Promise<UserRow | undefined> {
  const { rows } = await client.query<UserRow>(
    `INSERT INTO users (tenant_id, email, password_hash, role) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id, email) DO NOTHING RETURNING ${COLUMNS}`,
    [user.tenantId, user.email, user.passwordHash, user.role],
  );
  return rows[0];
}

export async function updateUser(
  client: Queryable,
  tenantId: string,
  id: string,
  changes: { role?: UserRow['role']; disabled?: boolean; passwordHash?: string },
): Promise<UserRow | undefined> {
  const { rows } = await client.query<UserRow>(
    `UPDATE users SET
        role = COALESCE($3, role),
        disabled_at = CASE WHEN $4::boolean IS NULL THEN disabled_at WHEN $4 THEN COALESCE(disabled_at, now()) ELSE NULL END,
        password_hash = COALESCE($5, password_hash),
        updated_at = now()
      WHERE tenant_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
    [tenantId, id, changes.role ?? null, changes.disabled ?? null, changes.passwordHash ?? null],
  );
  return rows[0];
}
