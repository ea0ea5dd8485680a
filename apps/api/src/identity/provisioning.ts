import {
  ensureTenant,
  insertApiKey,
  insertAuditEntry,
  insertUser,
  withTransaction,
  type Pool,
} from '@xorb/db';
import { hashApiKeySecret, parseApiKey } from '../auth/api-key-codec';
import { hashPassword } from '../auth/passwords';

export interface ProvisionResult {
  tenantId: string;
  tenantCreated: boolean;
  adminCreated: boolean;
}

/**
 * Creates a tenant and its first admin, or leaves them as they are when they
 * exist: safe to run again. Used by `npm run bootstrap` (and the dev seed).
 */
export async function provisionTenant(
  pool: Pool,
  input: { slug: string; name: string; adminEmail: string; adminPassword: string },
): Promise<ProvisionResult> {
  const passwordHash = await hashPassword(input.adminPassword);
  return withTransaction(pool, async (client) => {
    const { tenant, created } = await ensureTenant(client, input.slug, input.name);
    const admin = await insertUser(client, {
      tenantId: tenant.id,
      email: input.adminEmail.toLowerCase(),
      passwordHash,
      role: 'admin',
    });
    if (created || admin) {
      await insertAuditEntry(client, {
        tenantId: tenant.id,
        actor: 'system:bootstrap',
        action: 'tenant.bootstrap',
        resourceType: 'tenant',
        resourceId: tenant.id,
        requestId: null,
        ip: null,
        details: {
          tenant_created: created,
          admin_created: admin !== undefined,
          admin_email: input.adminEmail.toLowerCase(),
        },
      });
    }
    return { tenantId: tenant.id, tenantCreated: created, adminCreated: admin !== undefined };
  });
}

/**
 * The documented development key (README, "Development seed"). Only ever
 * installed when XORB_DEV_SEED=true, which config-manager refuses outside
 * development and test.
 */
export const DEV_SEED = {
  tenant: 'dev',
  apiKey: 'xorb_de0000000000_devOnlyInsecureKeyForLocalUseNeverInProdXrb',
} as const;

export async function seedDevelopmentTenant(
  pool: Pool,
  pepper: string | undefined,
): Promise<{ tenantId: string; created: boolean }> {
  const parsed = parseApiKey(DEV_SEED.apiKey);
  if (!parsed) throw new Error('the documented dev key does not match the API key format');
  return withTransaction(pool, async (client) => {
    const { tenant } = await ensureTenant(client, DEV_SEED.tenant, 'Development');
    const { rowCount } = await client.query('SELECT 1 FROM api_keys WHERE prefix = $1', [parsed.prefix]);
    if (rowCount) return { tenantId: tenant.id, created: false };
    await insertApiKey(client, {
      tenantId: tenant.id,
      name: 'development seed (documented, insecure)',
      prefix: parsed.prefix,
      secretHash: hashApiKeySecret(parsed.secret, pepper),
      role: 'admin',
      createdBy: null,
      expiresAt: null,
    });
    return { tenantId: tenant.id, created: true };
  });
}
