import { Controller, HttpCode, Inject } from '@nestjs/common';
import { type z } from 'zod';
import { api } from '@xorb/contracts';
import {
  findUser,
  insertUser,
  listUsers,
  toPage,
  updateUser,
  withTenant,
  type Page,
  type Pool,
  type UserRow,
} from '@xorb/db';
import { AuditService } from '../audit/audit.service';
import { hashPassword } from '../auth/passwords';
import { Ctx, type RequestContext } from '../auth/principal';
import { parseCursor } from '../http/cursor';
import { Endpoint } from '../http/endpoint';
import { ProblemException } from '../http/problem.exception';
import { Input } from '../http/validated';
import { PG_POOL } from '../tokens';

type User = z.infer<typeof api.user>;

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    disabled: row.disabled_at !== null,
    created_at: row.created_at.toISOString(),
  };
}

function notFound(id: string): ProblemException {
  return new ProblemException(404, `No user ${id} in this tenant`);
}

@Controller()
export class UsersController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  @Endpoint({
    method: 'GET',
    path: '/api/v1/users',
    operationId: 'listUsers',
    summary: "The tenant's users, newest first",
    tag: 'users',
    access: 'admin',
    query: api.pageQuery,
    responses: { 200: api.pageOf(api.user) },
  })
  list(
    @Ctx() context: RequestContext,
    @Input('query') query: z.infer<typeof api.pageQuery>,
  ): Promise<Page<User>> {
    const after = parseCursor(query.cursor);
    const { tenantId } = context.principal;
    return withTenant(this.pool, tenantId, async (client) =>
      toPage(await listUsers(client, tenantId, query.limit, after), query.limit, toUser),
    );
  }

  @Endpoint({
    method: 'GET',
    path: '/api/v1/users/:id',
    operationId: 'getUser',
    summary: 'One user',
    tag: 'users',
    access: 'admin',
    params: api.idParams,
    responses: { 200: api.user },
  })
  async get(@Ctx() context: RequestContext, @Input('params') params: { id: string }): Promise<User> {
    const row = await withTenant(this.pool, context.principal.tenantId, (client) =>
      findUser(client, context.principal.tenantId, params.id),
    );
    if (!row) throw notFound(params.id);
    return toUser(row);
  }

  @Endpoint({
    method: 'POST',
    path: '/api/v1/users',
    operationId: 'createUser',
    summary: 'Add a user to the tenant',
    tag: 'users',
    access: 'admin',
    body: api.createUserRequest,
    responses: { 201: api.user },
    problems: [409],
  })
  @HttpCode(201)
  async create(
    @Ctx() context: RequestContext,
    @Input('body') body: z.infer<typeof api.createUserRequest>,
  ): Promise<User> {
    const passwordHash = await hashPassword(body.password);
    const { tenantId } = context.principal;
    const row = await withTenant(this.pool, tenantId, async (client) => {
      const inserted = await insertUser(client, {
        tenantId,
        email: body.email,
        passwordHash,
        role: body.role,
      });
      if (inserted) {
        await this.audit.record(client, context, {
          action: 'user.create',
          resourceType: 'user',
          resourceId: inserted.id,
          details: { email: inserted.email, role: inserted.role },
        });
      }
      return inserted;
    });
    if (!row)
      throw new ProblemException(409, `A user with e-mail ${body.email} already exists in this tenant`);
    return toUser(row);
  }

  @Endpoint({
    method: 'PATCH',
    path: '/api/v1/users/:id',
    operationId: 'updateUser',
    summary: "Change a user's role, disable or enable them, or set a new password",
    tag: 'users',
    access: 'admin',
    params: api.idParams,
    body: api.updateUserRequest,
    responses: { 200: api.user },
  })
  async update(
    @Ctx() context: RequestContext,
    @Input('params') params: { id: string },
    @Input('body') body: z.infer<typeof api.updateUserRequest>,
  ): Promise<User> {
    if (
      params.id === context.principal.id &&
      (body.disabled === true || (body.role && body.role !== 'admin'))
    ) {
      throw new ProblemException(409, 'Admins cannot disable themselves or give up their own admin role');
    }
    const passwordHash = body.password ? await hashPassword(body.password) : undefined;
    const { tenantId } = context.principal;
    const row = await withTenant(this.pool, tenantId, async (client) => {
      const updated = await updateUser(client, tenantId, params.id, {
        role: body.role,
        disabled: body.disabled,
        passwordHash,
      });
      if (updated) {
        await this.audit.record(client, context, {
          action: 'user.update',
          resourceType: 'user',
          resourceId: updated.id,
          details: { role: body.role, disabled: body.disabled, password_changed: passwordHash !== undefined },
        });
      }
      return updated;
    });
    if (!row) throw notFound(params.id);
    return toUser(row);
  }
}
