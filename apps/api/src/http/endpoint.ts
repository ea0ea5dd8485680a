import { applyDecorators, RequestMapping, RequestMethod, SetMetadata } from '@nestjs/common';
import type { z } from 'zod';
import type { api } from '@xorb/contracts';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Who may call an endpoint: anyone, or a role and every role above it. */
export type Access = 'public' | api.Role;

/**
 * One API operation, declared once: it routes the handler, drives validation and
 * authorization, and is the source of the OpenAPI document.
 */
export interface EndpointSpec {
  method: HttpMethod;
  /** Full path in Fastify syntax, e.g. /api/v1/targets/:id */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  access: Access;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Success status → body schema (null: no body). */
  responses: Record<number, z.ZodType | null>;
  /** Extra problem statuses this endpoint answers besides the common ones. */
  problems?: number[];
}

export const ENDPOINT_SPEC = Symbol('EndpointSpec');

const registry: EndpointSpec[] = [];

/** Every endpoint declared in this process, in declaration order. */
export function registeredEndpoints(): readonly EndpointSpec[] {
  return registry;
}

export function Endpoint(spec: EndpointSpec): MethodDecorator {
  registry.push(spec);
  return applyDecorators(
    SetMetadata(ENDPOINT_SPEC, spec),
    RequestMapping({ path: spec.path, method: RequestMethod[spec.method] }),
  );
}
