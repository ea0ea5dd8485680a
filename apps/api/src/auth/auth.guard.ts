import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ENDPOINT_SPEC, type EndpointSpec } from '../http/endpoint';
import { ProblemException } from '../http/problem.exception';
import { AuthService, type AuthFailure } from './auth.service';
import { roleAtLeast } from './principal';

const FAILURE_DETAIL: Record<AuthFailure | 'missing', string> = {
  missing: 'Authentication required: send "Authorization: Bearer <token or API key>" or "X-API-Key: <key>"',
  invalid: 'The credentials are not valid',
  expired: 'The credentials have expired',
  revoked: 'The credentials have been revoked',
};

/** Authenticates every non-public endpoint and enforces its minimum role. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuthService) private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const spec = this.reflector.get<EndpointSpec | undefined>(ENDPOINT_SPEC, context.getHandler());
    if (!spec || spec.access === 'public') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const credential = bearerCredential(request);
    if (!credential) throw unauthorized('missing');
    const result = await this.auth.authenticate(credential);
    if (!result.ok) throw unauthorized(result.failure);
    if (!roleAtLeast(result.principal.role, spec.access)) {
      throw new ProblemException(
        403,
        `This endpoint requires the ${spec.access} role or above; the caller is ${result.principal.role}`,
      );
    }
    request.principal = result.principal;
    return true;
  }
}

function bearerCredential(request: FastifyRequest): string | undefined {
  const apiKey = request.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.trim()) return apiKey.trim();
  const authorization = request.headers.authorization;
  if (typeof authorization !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1];
}

function unauthorized(failure: AuthFailure | 'missing'): ProblemException {
  const error = failure === 'missing' ? '' : `, error="invalid_token"`;
  return new ProblemException(
    401,
    FAILURE_DETAIL[failure],
    {},
    { 'www-authenticate': `Bearer realm="xorb"${error}` },
  );
}
