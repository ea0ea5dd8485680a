import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { XorbConfig } from '@xorb/config-manager';

const AUDIENCE = 'xorb-api';

export interface AccessTokenClaims {
  subject: string;
  kind: 'user' | 'api_key';
  tenantId: string;
  jti: string;
  expiresAt: number;
}

export type TokenVerdict =
  { ok: true; claims: AccessTokenClaims } | { ok: false; reason: 'expired' | 'invalid' };

/** HS256 access tokens signed with the jwt_secret secret. */
export class AccessTokens {
  private readonly key: Uint8Array;

  constructor(private readonly security: XorbConfig['security']) {
    this.key = new TextEncoder().encode(security.jwtSecret);
  }

  get lifetimeSeconds(): number {
    return this.security.accessTokenTtlSeconds;
  }

  async issue(subject: { id: string; kind: 'user' | 'api_key'; tenantId: string }): Promise<string> {
    return new SignJWT({ tid: subject.tenantId, knd: subject.kind })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(subject.id)
      .setIssuer(this.security.jwtIssuer)
      .setAudience(AUDIENCE)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(`${this.security.accessTokenTtlSeconds}s`)
      .sign(this.key);
  }

  async verify(token: string): Promise<TokenVerdict> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: this.security.jwtIssuer,
        audience: AUDIENCE,
        requiredClaims: ['sub', 'jti', 'exp', 'tid', 'knd'],
      });
      const kind = payload.knd;
      if ((kind !== 'user' && kind !== 'api_key') || typeof payload.tid !== 'string')
        return { ok: false, reason: 'invalid' };
      return {
        ok: true,
        claims: {
          subject: payload.sub as string,
          kind,
          tenantId: payload.tid,
          jti: payload.jti as string,
          expiresAt: payload.exp as number,
        },
      };
    } catch (error) {
      return { ok: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
    }
  }
}
