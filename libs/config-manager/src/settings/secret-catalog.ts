import { type SectionName } from './section-name';

/** How strong a secret must be in staging and production. */
export type SecretStrength = 'password' | 'signing-key' | 'opaque';

export interface SecretDefinition {
  /** Environment variable holding the value directly (allowed, but discouraged). */
  variable: string;
  /** Environment variable naming a file that holds the value. */
  fileVariable: string;
  section: SectionName;
  description: string;
  /** Required in staging and production. */
  requiredWhenHardened: boolean;
  strength: SecretStrength;
  /** Used in development and test only, when the secret is not provided. Public, never secret. */
  developmentFallback?: string;
}

/** Secrets by their Docker secret name (also their key in Vault). */
export const SECRETS = {
  postgres_password: {
    variable: 'POSTGRES_PASSWORD',
    fileVariable: 'POSTGRES_PASSWORD_FILE',
    section: 'database',
    description: 'PostgreSQL password. A password inside DATABASE_URL is used when no secret is provided.',
    requiredWhenHardened: true,
    strength: 'password',
    developmentFallback: 'dev-only-insecure-postgres-password',
  },
  redis_password: {
    variable: 'REDIS_PASSWORD',
    fileVariable: 'REDIS_PASSWORD_FILE',
    section: 'redis',
    description: 'Redis password (optional). A password inside REDIS_URL is used when no secret is provided.',
    requiredWhenHardened: false,
    strength: 'password',
  },
  jwt_secret: {
    variable: 'JWT_SECRET',
    fileVariable: 'JWT_SECRET_FILE',
    section: 'security',
    description:
      'HMAC key signing access and refresh tokens: at least 32 varied characters in staging/production.',
    requiredWhenHardened: true,
    strength: 'signing-key',
    developmentFallback: 'dev-only-insecure-jwt-secret-change-me-000000',
  },
  api_key_pepper: {
    variable: 'API_KEY_PEPPER',
    fileVariable: 'API_KEY_PEPPER_FILE',
    section: 'security',
    description:
      'Pepper mixed into API key hashes (optional; when set, at least 32 varied characters in staging/production).',
    requiredWhenHardened: false,
    strength: 'signing-key',
  },
  bootstrap_admin_password: {
    variable: 'BOOTSTRAP_ADMIN_PASSWORD',
    fileVariable: 'BOOTSTRAP_ADMIN_PASSWORD_FILE',
    section: 'bootstrap',
    description: 'Password of the first admin, read only by `npm run bootstrap` (at least 12 characters).',
    requiredWhenHardened: false,
    strength: 'password',
  },
  embeddings_api_key: {
    variable: 'EMBEDDINGS_API_KEY',
    fileVariable: 'EMBEDDINGS_API_KEY_FILE',
    section: 'embeddings',
    description: 'API key sent to the embeddings provider (optional).',
    requiredWhenHardened: false,
    strength: 'opaque',
  },
} as const satisfies Record<string, SecretDefinition>;

export type SecretName = keyof typeof SECRETS;

export const SECRET_NAMES = Object.keys(SECRETS) as SecretName[];

export function secretDefinition(name: SecretName): SecretDefinition {
  return SECRETS[name];
}
