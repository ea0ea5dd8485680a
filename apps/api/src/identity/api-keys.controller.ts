import { Controller, HttpCode, Inject } from '@nestjs/common';
import { type z } from 'zod';
import type { XorbConfig } from '@xorb/config-manager';
import { api } from '@xorb/contracts';
import {
  findApiKey,
  insertApiKey,
  listApiKeys,
  revokeApiKey,
  toPage,
  withTenant,
  type ApiKeyRow,
  type Page,
  type Pool,
} from '@xorb/db';
import { AuditService } from '../audit/audit.service';
import { ApiKeyCache } from '../auth/api-key-cache';
import { generateApiKey, hashApiKeySecret } from '../auth/api-key-codec';
import { Ctx, type RequestContext } from '../auth/principal';
import { parseCursor } from '../http/cursor';
import { Endpoint } from '../http/endpoint';
import { ProblemException } from '../http/problem.exception';
import { Input } from '../http/validated';
import { CONFIG, PG_POOL } from '../tokens';

type ApiKey = z.infer<typeof api.apiKey>;

export function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    created_at: row.created_at.toISOString(),
    expires_at: row.expires_at?.toISOString() ?? null,
    revoked_at: row.revoked_at?.toISOString() ?? null,
    last_used_at: row.last_used_at?.toISOString() ?? null,
  };
}

@Controller()
export class ApiKeysController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: XorbConfig,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(ApiKeyCache) private readonly cache: ApiKeyCache,
  ) {}

  @Endpoint({
    method: 'GET',
    path: '/api/v1/api-keys',
    operationId: 'listApiKeys',
    summary: "The tenant's API keys (prefixes only; secrets are never shown again)",
    tag: 'api-keys',
    access: 'admin',
    query: api.pageQuery,
    responses: { 200: api.pageOf(api.apiKey) },
  })
  list(
    @Ctx() context: RequestContext,
    @Input('query') query: z.infer<typeof api.pageQuery>,
  ): Promise<Page<ApiKey>> {
    const after = parseCursor(query.cursor);
    const { tenantId } = context.principal;
    return withTenant(this.pool, tenantId, async (client) =>
      toPage(await listApiKeys(client, tenantId, query.limit, after), query.limit, toApiKey),
    );
  }

  @Endpoint({
    method: 'POST',
    path: '/api/v1/api-keys',
    operationId: 'createApiKey',
    summary: 'Create an API key; the response is the only time its secret is shown',
    tag: 'api-keys',
    access: 'admin',
    body: api.createApiKeyRequest,
    responses: { 201: api.createdApiKey },
  })
  @HttpCode(201)
  async create(
    @Ctx() context: RequestContext,
    @Input('body') body: z.infer<typeof api.createApiKeyRequest>,
  ): Promise<z.infer<typeof api.createdApiKey>> {
    const expiresAt = body.expires_at ? new Date(body.expires_at) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      throw new ProblemException(400, 'Invalid request: expires_at must be in the future', {
        title: 'Invalid request',
        errors: [{ field: 'expires_at', message: 'must be in the future' }],
      });
    }
    const generated = generateApiKey();
    const { tenantId } = context.principal;
    const row = await withTenant(this.pool, tenantId, async (client) => {
      const inserted = await insertApiKey(client, {
        tenantId,
        name: body.name,
        prefix: generated.prefix,
        secretHash: hashApiKeySecret(generated.secret, this.config.security.apiKeyPepper),
        role: body.role,
        createdBy: context.principal.kind === 'user' ? context.principal.id : null,
        expiresAt,
      });
      await this.audit.record(client, context, {
        action: 'api_key.create',
        resourceType: 'api_key',
        resourceId: inserted.id,
        details: { name: inserted.name, prefix: inserted.prefix, role: inserted.role },
      });
      return inserted;
    });
    return { ...toApiKey(row), key: generated.key };
  }

  @Endpoint({
    method: 'DELETE',
    path: '/api/v1/api-keys/:id',
    operationId: 'revokeApiKey',
    summary: 'Revoke an API key; it stops working at once',
    tag: 'api-keys',
    access: 'admin',
    params: api.idParams,
    responses: { 204: null },
  })
  @HttpCode(204)
  async revoke(@Ctx() context: RequestContext, @Input('params') params: { id: string }): Promise<void> {
    const { tenantId } = context.principal;
    const revoked = await withTenant(this.pool, tenantId, async (client) => {
      if (!(await findApiKey(client, tenantId, params.id))) return undefined;
      const row = await revokeApiKey(client, tenantId, params.id);
      await this.audit.record(client, context, {
        action: 'api_key.revoke',
        resourceType: 'api_key',
        resourceId: params.id,
        details: { prefix: row?.prefix },
      });
      return row;
    });
    if (!revoked) throw new ProblemException(404, `No API key ${params.id} in this tenant`);
    // Committed: now every API process forgets the row (this one at once, the others via Redis).
    await this.cache.revoked(revoked);
  }
}
