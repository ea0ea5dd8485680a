import { type DatabaseConfig } from '../config-types';
import { hostForAddress } from '../parsing/parse-host';
import {
  defineSecretProperty,
  developmentFallback,
  providedSecret,
  type BuildContext,
} from './build-context';

/**
 * DATABASE_URL, when set, overrides the parts it contains (host, port, name, user, password,
 * sslmode); the others come from POSTGRES_* and DATABASE_SSL. The password is the postgres_password
 * secret when provided, else the one in DATABASE_URL, else (development/test only) the fallback.
 */
export function buildDatabaseConfig(context: BuildContext): DatabaseConfig {
  const { settings } = context;
  const fromUrl = settings.read('DATABASE_URL');
  const host = fromUrl?.host ?? settings.read('POSTGRES_HOST');
  const port = fromUrl?.port ?? settings.read('POSTGRES_PORT');
  const name = fromUrl?.name ?? settings.read('POSTGRES_DB');
  const user = fromUrl?.user ?? settings.read('POSTGRES_USER');
  const ssl = fromUrl?.ssl ?? settings.read('DATABASE_SSL');
  const password =
    providedSecret(context, 'postgres_password') ??
    fromUrl?.password ??
    developmentFallback(context.env, 'postgres_password') ??
    '';

  const database = {
    host,
    port,
    name,
    user,
    ssl,
    poolSize: settings.read('DATABASE_POOL_SIZE'),
    statementTimeoutMs: settings.read('DATABASE_STATEMENT_TIMEOUT_MS'),
    getUrl(): string {
      const credentials =
        password === ''
          ? encodeURIComponent(user)
          : `${encodeURIComponent(user)}:${encodeURIComponent(password)}`;
      return `postgresql://${credentials}@${hostForAddress(host)}:${port}/${encodeURIComponent(name)}?sslmode=${ssl}`;
    },
  };
  return defineSecretProperty(database, 'password', password) as DatabaseConfig;
}
