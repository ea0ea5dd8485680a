import { randomBytes } from 'node:crypto';
import { insertApiKey, insertTarget, type Pool } from '@xorb/db';
import { generateApiKey, hashApiKeySecret } from '../../apps/api/src/auth/api-key-codec';
import { provisionTenant } from '../../apps/api/src/identity/provisioning';

export interface SeededTenant {
  tenantId: string;
  apiKey: string;
  apiKeyPrefix: string;
}

/** A tenant (provisionTenant, as `npm run bootstrap` makes one) with a viewer API key. */
export async function seedTenant(
  pool: Pool,
  slug = `bench-${randomBytes(3).toString('hex')}`,
): Promise<SeededTenant> {
  const { tenantId } = await provisionTenant(pool, {
    slug,
    name: `Bench ${slug}`,
    adminEmail: `admin@${slug}.bench.example`,
    adminPassword: randomBytes(18).toString('base64url'),
  });
  const key = generateApiKey();
  await insertApiKey(pool, {
    tenantId,
    name: 'bench',
    prefix: key.prefix,
    secretHash: hashApiKeySecret(key.secret, undefined),
    role: 'viewer',
    createdBy: null,
    expiresAt: null,
  });
  return { tenantId, apiKey: key.key, apiKeyPrefix: key.prefix };
}

/** `count` hostname targets, half of them tagged `even`. */
export async function seedTargets(pool: Pool, tenantId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const host = `host-${index}.bench.example`;
    const row = await insertTarget(pool, {
      tenantId,
      kind: 'hostname',
      value: host,
      host,
      tags: index % 2 === 0 ? ['bench', 'even'] : ['bench'],
      ports: '',
      verificationToken: randomBytes(24).toString('base64url'),
      createdBy: 'bench',
    });
    if (row) ids.push(row.id);
  }
  return ids;
}

export async function seedLoopbackTarget(pool: Pool, tenantId: string): Promise<string> {
  const row = await insertTarget(pool, {
    tenantId,
    kind: 'ipv4',
    value: '127.0.0.1',
    host: '127.0.0.1',
    tags: ['bench'],
    ports: '',
    verificationToken: randomBytes(24).toString('base64url'),
    createdBy: 'bench',
  });
  if (!row) throw new Error('could not insert the loopback target');
  return row.id;
}
