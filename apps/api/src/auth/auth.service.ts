import { Inject, Injectable } from '@nestjs/common';
import type { XorbConfig } from '@xorb/config-manager';
import type { api } from '@xorb/contracts';
import {
  findApiKeyById,
  findUser,
  findUserForSignIn,
  touchApiKey,
  type ApiKeyRow,
  type Pool,
} from '@xorb/db';
import type { Redis } from '@xorb/redis';
import { CONFIG, PG_POOL, REDIS } from '../tokens';
import { AccessTokens } from './access-tokens';
import { ApiKeyCache } from './api-key-cache';
import { apiKeySecretMatches, looksLikeApiKey, parseApiKey } from './api-key-codec';
import { verifyPassword } from './passwords';
import type { Principal } from './principal';

export type AuthFailure = 'invalid' | 'expired' | 'revoked';
export type AuthResult = { ok: true; principal: Principal } | { ok: false; failure: AuthFailure };

/** Turns credentials (access tokens, API keys, passwords) into principals. */
@Injectable()
export class AuthService {
  private readonly tokens: AccessTokens;
  /** When this process last wrote last_used_at per key: skips a database write on most requests. */
  private readonly touchedAt = new Map<string, number>();
  private readonly pepper: string | undefined;

  constructor(
    @Inject(CONFIG) private readonly config: XorbConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ApiKeyCache) private readonly apiKeys: ApiKeyCache,
  ) {
    this.tokens = new AccessTokens(config.security);
    this.pepper = config.security.apiKeyPepper;
  }

  /** A bearer credential: an API key (xorb_…) or an access token. */
  async authenticate(credential: string): Promise<AuthResult> {
    if (looksLikeApiKey(credential)) return this.authenticateApiKey(credential);
    const verdict = await this.tokens.verify(credential);
    if (!verdict.ok) return { ok: false, failure: verdict.reason };
    const { claims } = verdict;
    if ((await this.redis.exists(this.revocationKey(claims.jti))) === 1)
      return { ok: false, failure: 'revoked' };
    const principal =
      claims.kind === 'user'
        ? await this.userPrincipal(claims.tenantId, claims.subject)
        : await this.apiKeyPrincipal(claims.subject);
    if (!principal.ok) return principal;
    return {
      ok: true,
      principal: { ...principal.principal, token: { jti: claims.jti, expiresAt: claims.expiresAt } },
    };
  }

  /** POST /auth/token: a password or an API key in exchange for a short-lived access token. */
  async issueToken(
    request: api.TokenRequest,
  ): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number } | undefined> {
    let subject: { id: string; kind: 'user' | 'api_key'; tenantId: string } | undefined;
    if (request.grant_type === 'password') {
      const user = await findUserForSignIn(this.pool, request.tenant, request.email);
      const passwordOk = await verifyPassword(request.password, user?.password_hash);
      if (user && passwordOk && !user.disabled_at)
        subject = { id: user.id, kind: 'user', tenantId: user.tenant_id };
    } else {
      const result = await this.authenticateApiKey(request.api_key);
      if (result.ok)
        subject = { id: result.principal.id, kind: 'api_key', tenantId: result.principal.tenantId };
    }
    if (!subject) return undefined;
    return {
      access_token: await this.tokens.issue(subject),
      token_type: 'Bearer',
      expires_in: this.tokens.lifetimeSeconds,
    };
  }

  /** Revokes an access token until it would have expired anyway. */
  async revokeToken(token: { jti: string; expiresAt: number }): Promise<void> {
    const ttl = Math.max(1, token.expiresAt - Math.floor(Date.now() / 1000));
    await this.redis.set(this.revocationKey(token.jti), '1', 'EX', ttl);
  }

  /** last_used_at moves at most once a minute (the SQL guards across processes; this spares the round trip). */
  private async touchAtMostOncePerMinute(keyId: string): Promise<void> {
    const now = Date.now();
    if (now - (this.touchedAt.get(keyId) ?? 0) < 60_000) return;
    if (this.touchedAt.size > 10_000) this.touchedAt.clear();
    this.touchedAt.set(keyId, now);
    await touchApiKey(this.pool, keyId);
  }

  private revocationKey(jti: string): string {
    return `${this.config.redis.keyPrefix}:revoked-token:${jti}`;
  }

  private async authenticateApiKey(key: string): Promise<AuthResult> {
    const parsed = parseApiKey(key);
    if (!parsed) return { ok: false, failure: 'invalid' };
    // Usually from this process's cache (API_KEY_CACHE_TTL); the checks below run on every request either way.
    const row = await this.apiKeys.lookup(parsed.prefix);
    if (!row || !apiKeySecretMatches(parsed.secret, row.secret_hash, this.pepper))
      return { ok: false, failure: 'invalid' };
    const status = apiKeyStatus(row);
    if (!status.ok) return status;
    await this.touchAtMostOncePerMinute(row.id);
    return { ok: true, principal: apiKeyPrincipal(row) };
  }

  /** Tokens carry identity only: role and status are read fresh, so changes apply at once. */
  private async userPrincipal(tenantId: string, userId: string): Promise<AuthResult> {
    const user = await findUser(this.pool, tenantId, userId);
    if (!user) return { ok: false, failure: 'invalid' };
    if (user.disabled_at) return { ok: false, failure: 'revoked' };
    return {
      ok: true,
      principal: { kind: 'user', id: user.id, tenantId, role: user.role, actor: `user:${user.email}` },
    };
  }

  private async apiKeyPrincipal(keyId: string): Promise<AuthResult> {
    const row = await findApiKeyById(this.pool, keyId);
    if (!row) return { ok: false, failure: 'invalid' };
    const status = apiKeyStatus(row);
    return status.ok ? { ok: true, principal: apiKeyPrincipal(row) } : status;
  }
}

function apiKeyStatus(row: ApiKeyRow): { ok: true } | { ok: false; failure: AuthFailure } {
  if (row.revoked_at) return { ok: false, failure: 'revoked' };
  if (row.expires_at && row.expires_at.getTime() <= Date.now()) return { ok: false, failure: 'expired' };
  return { ok: true };
}

function apiKeyPrincipal(row: ApiKeyRow): Principal {
  return {
    kind: 'api_key',
    id: row.id,
    tenantId: row.tenant_id,
    role: row.role,
    actor: `api_key:${row.prefix}`,
  };
}
