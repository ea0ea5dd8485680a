import type { api } from '@xorb/contracts';
import { insertApiKey, type Pool } from '@xorb/db';
import { generateApiKey, hashApiKeySecret } from '../../src/auth/api-key-codec';

/** An API key inserted straight into the database, as the API would issue it; `key` is the full credential. */
export async function createTestApiKey(
  pool: Pool,
  options: { tenantId: string; role: api.Role; name?: string; pepper?: string },
): Promise<{ id: string; prefix: string; key: string }> {
  const generated = generateApiKey();
  const row = await insertApiKey(pool, {
    tenantId: options.tenantId,
    name: options.name ?? `${options.role}-${generated.prefix}`,
    prefix: generated.prefix,
    secretHash: hashApiKeySecret(generated.secret, options.pepper),
    role: options.role,
    createdBy: null,
    expiresAt: null,
  });
  return { id: row.id, prefix: row.prefix, key: generated.key };
}
