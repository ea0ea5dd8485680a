import { ConfigError, loadConfig } from '@xorb/config-manager';
import { createPool } from '@xorb/db';
import { createLogger } from '@xorb/observability';
import { provisionTenant } from '../identity/provisioning';

/**
 * `npm run bootstrap`: creates the first tenant and its admin from
 * XORB_BOOTSTRAP_TENANT, XORB_BOOTSTRAP_TENANT_NAME, XORB_BOOTSTRAP_ADMIN_EMAIL
 * and the secret bootstrap_admin_password. There is no default password anywhere.
 */
async function main(): Promise<number> {
  const config = await loadConfig();
  const { tenantSlug, tenantName, adminEmail, adminPassword } = config.bootstrap;
  const missing = [
    tenantSlug ? undefined : 'XORB_BOOTSTRAP_TENANT',
    adminEmail ? undefined : 'XORB_BOOTSTRAP_ADMIN_EMAIL',
    adminPassword
      ? undefined
      : 'bootstrap_admin_password (BOOTSTRAP_ADMIN_PASSWORD_FILE, /run/secrets/bootstrap_admin_password or Vault)',
  ].filter(Boolean);
  if (missing.length > 0) {
    process.stderr.write(`bootstrap: missing ${missing.join(', ')}\n`);
    return 2;
  }
  if ((adminPassword as string).length < 12) {
    process.stderr.write('bootstrap: bootstrap_admin_password must be at least 12 characters\n');
    return 2;
  }
  const logger = createLogger({ service: 'bootstrap', level: config.logging.level });
  const pool = createPool(config.database, { applicationName: 'xorb-bootstrap', logger, max: 1 });
  try {
    const result = await provisionTenant(pool, {
      slug: tenantSlug as string,
      name: tenantName ?? (tenantSlug as string),
      adminEmail: adminEmail as string,
      adminPassword: adminPassword as string,
    });
    process.stdout.write(
      `bootstrap: tenant ${tenantSlug} ${result.tenantCreated ? 'created' : 'already existed'} (${result.tenantId}); ` +
        `admin ${adminEmail} ${result.adminCreated ? 'created' : 'already existed (password unchanged)'}\n`,
    );
    return 0;
  } finally {
    await pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const reason =
      error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error);
    process.stderr.write(`bootstrap: ${reason}\n`);
    process.exit(error instanceof ConfigError ? 78 : 1);
  },
);
