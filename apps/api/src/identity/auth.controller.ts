import { Controller, HttpCode, Inject } from '@nestjs/common';
import { type z } from 'zod';
import { api } from '@xorb/contracts';
import { findTenantById, type Pool } from '@xorb/db';
import { AuthService } from '../auth/auth.service';
import { Ctx, type RequestContext } from '../auth/principal';
import { Endpoint } from '../http/endpoint';
import { ProblemException } from '../http/problem.exception';
import { Input } from '../http/validated';
import { PG_POOL } from '../tokens';

@Controller()
export class AuthController {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  @Endpoint({
    method: 'POST',
    path: '/api/v1/auth/token',
    operationId: 'issueToken',
    summary:
      'Exchange a password (grant_type=password) or an API key (grant_type=api_key) for an access token',
    tag: 'auth',
    access: 'public',
    body: api.tokenRequest,
    responses: { 200: api.tokenResponse },
  })
  @HttpCode(200)
  async token(@Input('body') body: api.TokenRequest): Promise<z.infer<typeof api.tokenResponse>> {
    const token = await this.auth.issueToken(body);
    if (!token)
      throw new ProblemException(
        401,
        'The credentials are not valid',
        {},
        { 'www-authenticate': 'Bearer realm="xorb"' },
      );
    return token;
  }

  @Endpoint({
    method: 'POST',
    path: '/api/v1/auth/revoke',
    operationId: 'revokeToken',
    summary:
      'Revoke the access token this request carries (API keys are revoked with DELETE /api/v1/api-keys/{id})',
    tag: 'auth',
    access: 'viewer',
    responses: { 204: null },
  })
  @HttpCode(204)
  async revoke(@Ctx() context: RequestContext): Promise<void> {
    const token = context.principal.token;
    if (!token)
      throw new ProblemException(
        400,
        'This request carries an API key, not an access token; revoke keys with DELETE /api/v1/api-keys/{id}',
      );
    await this.auth.revokeToken(token);
  }

  @Endpoint({
    method: 'GET',
    path: '/api/v1/me',
    operationId: 'whoAmI',
    summary: 'The caller: tenant, actor and role',
    tag: 'auth',
    access: 'viewer',
    responses: { 200: api.principalResponse },
  })
  async me(@Ctx() context: RequestContext): Promise<z.infer<typeof api.principalResponse>> {
    const tenant = await findTenantById(this.pool, context.principal.tenantId);
    if (!tenant) throw new ProblemException(401, 'The credentials are not valid');
    return {
      tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
      actor: context.principal.actor,
      kind: context.principal.kind,
      role: context.principal.role,
    };
  }
}
