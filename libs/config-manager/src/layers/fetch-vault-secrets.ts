import { type ProblemList } from '../config-error';
import { SECRET_NAMES, type SecretName } from '../settings/secret-catalog';
import { readSecretFile } from './read-secret-file';

export interface VaultRequest {
  /** VAULT_ADDR, without a trailing slash. */
  address: string;
  mount: string;
  secretPath: string;
  namespace: string | undefined;
  tokenFile: string;
  timeoutMs: number;
  fetch: typeof fetch;
}

const VARIABLE = 'VAULT_ADDR';

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `did not answer within ${timeoutMs} ms`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code =
    typeof cause?.code === 'string' ? cause.code : error instanceof Error ? error.message : 'unknown error';
  return `is unreachable (${code})`;
}

const STATUS_HINTS: Record<number, string> = {
  400: 'bad request',
  403: 'permission denied: check the token and its policy',
  404: 'no secret at this path: check VAULT_KV_MOUNT and VAULT_SECRET_PATH',
  503: 'Vault is sealed or in standby',
};

/** Vault's own `errors` strings (they never contain the token), shortened. */
async function vaultErrors(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { errors?: unknown };
    const errors = Array.isArray(body.errors) ? body.errors.filter((entry) => typeof entry === 'string') : [];
    return errors.length > 0 ? `; Vault says: ${errors.join(', ').slice(0, 200)}` : '';
  } catch {
    return '';
  }
}

/**
 * Reads the XORB secrets from HashiCorp Vault KV v2:
 * `GET {address}/v1/{mount}/data/{secretPath}` with `X-Vault-Token` (and `X-Vault-Namespace`).
 * Every failure becomes a problem naming VAULT_ADDR (or VAULT_TOKEN_FILE); the token never appears.
 */
export async function fetchVaultSecrets(
  request: VaultRequest,
  problems: ProblemList,
): Promise<Map<SecretName, string>> {
  const secrets = new Map<SecretName, string>();
  const token = readSecretFile(request.tokenFile);
  if (!token.found || token.value.trim() === '') {
    const reason = token.found ? 'is empty' : token.missing ? 'does not exist' : token.reason;
    problems.add(
      'VAULT_TOKEN_FILE',
      `the Vault token file ${request.tokenFile} ${reason} (needed because VAULT_ADDR is set)`,
    );
    return secrets;
  }
  const location = `${request.mount}/data/${request.secretPath}`;
  const url = `${request.address}/v1/${encodePath(request.mount)}/data/${encodePath(request.secretPath)}`;
  const headers: Record<string, string> = { 'X-Vault-Token': token.value.trim(), Accept: 'application/json' };
  if (request.namespace) headers['X-Vault-Namespace'] = request.namespace;

  let response: Response;
  try {
    response = await request.fetch(url, { headers, signal: AbortSignal.timeout(request.timeoutMs) });
  } catch (error) {
    problems.add(VARIABLE, `Vault at ${request.address} ${describeFailure(error, request.timeoutMs)}`);
    return secrets;
  }
  if (response.status !== 200) {
    const hint = STATUS_HINTS[response.status] ?? 'unexpected answer';
    const details = await vaultErrors(response);
    problems.add(VARIABLE, `Vault answered HTTP ${response.status} for ${location} (${hint})${details}`);
    return secrets;
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    problems.add(VARIABLE, `Vault answered HTTP 200 for ${location} with a body that is not JSON`);
    return secrets;
  }
  const data = (body as { data?: { data?: unknown } } | null)?.data?.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    problems.add(
      VARIABLE,
      `Vault answered HTTP 200 for ${location} without data.data: is ${request.mount} a KV version 2 mount?`,
    );
    return secrets;
  }
  for (const name of SECRET_NAMES) {
    const value: unknown = (data as Record<string, unknown>)[name];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') {
      problems.add(VARIABLE, `the key "${name}" at ${location} must be a string`);
      continue;
    }
    secrets.set(name, value);
  }
  return secrets;
}
