import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '@xorb/observability';
import { LOGGER } from '../tokens';
import { problem, PROBLEM_CONTENT_TYPE, type ProblemDetails } from './problem-details';
import { unavailableDependency } from './dependency-errors';
import { ProblemException } from './problem.exception';

/**
 * Turns every error that reaches Nest into application/problem+json. Unknown
 * errors become a 500 whose body says nothing about internals; the log has the rest.
 */
const BODY_TOO_LARGE = 'Request body is larger than the configured limit (API_BODY_LIMIT)';

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const body = this.toProblem(exception, request);
    if (exception instanceof ProblemException) void reply.headers(exception.headers);
    if (body.status === 503 && !reply.hasHeader('retry-after')) void reply.header('retry-after', '5');
    void reply.status(body.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
  }

  private toProblem(exception: unknown, request: FastifyRequest): ProblemDetails {
    const context = { instance: request.url.split('?')[0], request_id: String(request.id) };
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (status === 413) return problem(413, BODY_TOO_LARGE, context);
      if (isProblem(response)) return { ...response, ...context };
      const detail =
        typeof response === 'string' ? response : describeNestResponse(response, exception.message);
      return problem(status, detail, context);
    }
    const clientError = fastifyClientError(exception);
    if (clientError) return problem(clientError.status, clientError.detail, context);
    const dependency = unavailableDependency(exception);
    if (dependency) {
      this.logger.warn(
        { request_id: context.request_id, dependency, error: describe(exception) },
        'Dependency unavailable',
      );
      return problem(503, `A dependency (${dependency}) is unavailable; retry shortly`, context);
    }
    this.logger.error({ request_id: context.request_id, error: exception }, 'Unhandled error');
    return problem(500, 'An unexpected error occurred; quote the request id when reporting it.', context);
  }
}

function isProblem(value: unknown): value is ProblemDetails {
  return (
    typeof value === 'object' && value !== null && 'type' in value && 'status' in value && 'title' in value
  );
}

function describeNestResponse(response: object, fallback: string): string {
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : fallback;
}

/** Fastify's own 4xx errors (bad JSON, body too large, unsupported content type), which Nest routes here too. */
function fastifyClientError(error: unknown): { status: number; detail: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { statusCode, code, message } = error as { statusCode?: number; code?: string; message?: string };
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return undefined;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return { status: 413, detail: 'Request body is larger than the configured limit (API_BODY_LIMIT)' };
  return { status: statusCode, detail: message ?? 'Bad request' };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
