import { z } from 'zod';
import { api } from '@xorb/contracts';
import type { EndpointSpec } from '../http/endpoint';

type JsonObject = Record<string, unknown>;

const PROBLEM_REF = { $ref: '#/components/schemas/ProblemDetails' };

/** "/api/v1/targets/:id" → "/api/v1/targets/{id}" */
export function openApiPath(fastifyPath: string): string {
  return fastifyPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonObject;
  delete json.$schema;
  return json;
}

function parametersOf(schema: z.ZodType | undefined, location: 'path' | 'query'): JsonObject[] {
  if (!schema) return [];
  const json = schemaOf(schema, 'output') as { properties?: Record<string, JsonObject>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  400: 'Invalid request: malformed JSON, wrong types, unknown fields; `errors` names each field',
  401: 'Missing, invalid, expired or revoked credentials',
  403: 'The caller’s role may not use this endpoint',
  404: 'No such resource in the caller’s tenant',
  409: 'Conflicts with an existing resource',
  413: 'Body larger than API_BODY_LIMIT',
  422: 'Understood but could not be carried out',
  429: 'Rate limit exceeded; see Retry-After',
  503: 'Took longer than TIMEOUT, or a dependency is unavailable',
};

function operationOf(spec: EndpointSpec): JsonObject {
  const responses: JsonObject = {};
  for (const [status, schema] of Object.entries(spec.responses)) {
    responses[status] = schema
      ? {
          description: STATUS_TEXT[Number(status)] ?? 'Success',
          content: { 'application/json': { schema: schemaOf(schema, 'output') } },
        }
      : { description: STATUS_TEXT[Number(status)] ?? 'Success' };
  }
  const problems = new Set<number>([429, 503, ...(spec.problems ?? [])]);
  if (spec.params || spec.query || spec.body) problems.add(400);
  if (spec.body) problems.add(413);
  if (spec.access !== 'public') [401, 403].forEach((status) => problems.add(status));
  if (spec.params) problems.add(404);
  for (const status of [...problems].sort()) {
    responses[String(status)] = {
      description: STATUS_TEXT[status] ?? 'Error',
      content: { 'application/problem+json': { schema: PROBLEM_REF } },
    };
  }
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    tags: [spec.tag],
    ...(spec.access === 'public' ? { security: [] } : { 'x-required-role': spec.access }),
    parameters: [...parametersOf(spec.params, 'path'), ...parametersOf(spec.query, 'query')],
    ...(spec.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schemaOf(spec.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document, generated from the declared endpoints. */
export function buildOpenApiDocument(endpoints: readonly EndpointSpec[], version: string): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const spec of endpoints) {
    const path = openApiPath(spec.path);
    paths[path] = { ...paths[path], [spec.method.toLowerCase()]: operationOf(spec) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'XORB API',
      version,
      description:
        'Security-intelligence platform API. Authenticate with `Authorization: Bearer <access token or API key>` or `X-API-Key`. Roles: viewer < analyst < admin; each operation lists its minimum role in `x-required-role`. Errors are RFC 9457 problem details.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { apiKey: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An access token from POST /api/v1/auth/token, or an API key',
        },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
      schemas: { ProblemDetails: schemaOf(api.problemDetails, 'output') },
    },
  };
}
