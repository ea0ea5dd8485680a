import type { Queryable } from '../queryable';

export interface TenantRow {
  id: string;
  slug: string;
  name: string;
  created_at: Date;
}

export async function findTenantById(client: Queryable, id: string): Promise<TenantRow | undefined> {
  const { rows } = await client.query<TenantRow>(
    'SELECT id, slug, name, created_at FROM tenants WHERE id = $1',
    [id],
  );
  return rows[0];
}

/** Creates the tenant, or returns the existing one with that slug (bootstrap is re-runnable). */
export async function ensureTenant(
  client: Queryable,
  slug: string,
  name: string,
): Promise<{ tenant: TenantRow; created: boolean }> {
  const inserted = await client.query<TenantRow>(
    `INSERT INTO tenants (slug, name) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING RETURNING id, slug, name, created_at`,
    [slug, name],
  );
  if (inserted.rows[0]) return { tenant: inserted.rows[0], created: true };
  const { rows } = await client.query<TenantRow>(
    'SELECT id, slug, name, created_at FROM tenants WHERE slug = $1',
    [slug],
  );
  return { tenant: rows[0] as TenantRow, created: false };
}
