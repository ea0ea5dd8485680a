import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { api } from '@xorb/contracts';

/** Who is calling: a user (via a token) or an API key, always inside one tenant. */
export interface Principal {
  kind: 'user' | 'api_key';
  /** users.id or api_keys.id */
  id: string;
  tenantId: string;
  role: api.Role;
  /** How the audit log names the caller: "user:<email>" or "api_key:<prefix>". */
  actor: string;
  /** Set when the caller used an access token: its id and expiry, for revocation. */
  token?: { jti: string; expiresAt: number };
}

/** Everything a service needs to know about the request it serves. */
export interface RequestContext {
  principal: Principal;
  requestId: string;
  ip: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

const RANK: Record<api.Role, number> = { viewer: 0, analyst: 1, admin: 2 };

export function roleAtLeast(role: api.Role, required: api.Role): boolean {
  return RANK[role] >= RANK[required];
}

/** The authenticated request context; only on endpoints that are not public. */
export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext): RequestContext => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  if (!request.principal) throw new Error('Ctx used on an endpoint without authentication');
  return { principal: request.principal, requestId: String(request.id), ip: request.ip };
});
