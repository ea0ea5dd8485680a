import {
  SECRETS,
  SECRET_NAMES,
  type SecretDefinition,
  type SecretStrength,
} from '../settings/secret-catalog';

const MIN_PASSWORD_LENGTH = 12;
const MIN_SIGNING_KEY_LENGTH = 32;
const MIN_DISTINCT_CHARACTERS = 10;

/** Passwords that appear in every default install and every password list. */
const WELL_KNOWN_PASSWORDS = new Set([
  'password',
  'postgres',
  'xorb',
  'changeme',
  'change-me',
  'admin',
  'root',
  'secret',
  'redis',
  'default',
  'letmein',
  'qwerty',
  '123456',
  '12345678',
  '123456789012',
  'password123',
  'password1234',
  'passwordpassword',
  'changemechangeme',
]);

const DEVELOPMENT_FALLBACKS = new Set<string>(
  SECRET_NAMES.flatMap((name) => {
    const definition: SecretDefinition = SECRETS[name];
    const fallback = definition.developmentFallback;
    return fallback === undefined ? [] : [fallback];
  }),
);

/**
 * Why a secret is too weak for staging or production, or undefined when it is acceptable.
 * The answer never contains the value, nor its length.
 */
export function secretWeakness(value: string, strength: SecretStrength): string | undefined {
  if (DEVELOPMENT_FALLBACKS.has(value)) return 'is the development-only fallback value';
  if (strength === 'password') {
    if (WELL_KNOWN_PASSWORDS.has(value.toLowerCase())) return 'is a well-known weak password';
    if (value.length < MIN_PASSWORD_LENGTH)
      return `is too short: use at least ${MIN_PASSWORD_LENGTH} characters`;
  }
  if (strength === 'signing-key') {
    if (value.length < MIN_SIGNING_KEY_LENGTH)
      return `is too short: use at least ${MIN_SIGNING_KEY_LENGTH} characters`;
    if (new Set(value).size < MIN_DISTINCT_CHARACTERS) {
      return `has too little variety: use at least ${MIN_DISTINCT_CHARACTERS} different characters (e.g. openssl rand -base64 48)`;
    }
  }
  return undefined;
}
