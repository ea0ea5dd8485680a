import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import type { z } from 'zod';
import { ENDPOINT_SPEC, type EndpointSpec } from './endpoint';
import { ProblemException } from './problem.exception';
import type { InputPart, ValidatedInput } from './validated';

/**
 * Parses params, query and body with the endpoint's schemas before the handler
 * runs. Every problem names its field; unknown fields are refused (strict schemas).
 */
@Injectable()
export class ValidationInterceptor implements NestInterceptor {
  constructor(@Inject(Reflector) private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<EndpointSpec | undefined>(ENDPOINT_SPEC, context.getHandler());
    if (!spec) return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (spec.body && request.body !== undefined && !isJson(request.headers['content-type'])) {
      throw new ProblemException(415, 'Send the body as JSON with content-type: application/json');
    }
    const validated: ValidatedInput = {};
    const errors: Array<{ field: string; message: string }> = [];
    const parts: Array<[InputPart, z.ZodType | undefined, unknown]> = [
      ['params', spec.params, request.params],
      ['query', spec.query, request.query],
      ['body', spec.body, request.body],
    ];
    for (const [part, schema, value] of parts) {
      if (!schema) continue;
      if (part === 'body' && value === undefined) {
        errors.push({ field: 'body', message: 'a JSON body is required (content-type: application/json)' });
        continue;
      }
      const result = schema.safeParse(value ?? {});
      if (result.success) validated[part] = result.data;
      else errors.push(...describeIssues(part, result.error.issues));
    }
    if (errors.length > 0) {
      throw new ProblemException(
        400,
        `Invalid request: ${errors.map((error) => `${error.field} ${error.message}`).join('; ')}`,
        {
          title: 'Invalid request',
          errors,
        },
      );
    }
    request.validated = validated;
    return next.handle();
  }
}

function describeIssues(
  part: InputPart,
  issues: readonly z.core.$ZodIssue[],
): Array<{ field: string; message: string }> {
  const prefix = part === 'body' ? '' : `${part}.`;
  return issues.flatMap((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: `${prefix}${path ? `${path}.` : ''}${key}`,
        message: 'is not a known field',
      }));
    }
    return [{ field: `${prefix}${path}` || part, message: issue.message }];
  });
}

function isJson(contentType: string | undefined): boolean {
  return /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType ?? '');
}
