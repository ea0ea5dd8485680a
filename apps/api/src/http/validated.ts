import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

export type InputPart = 'params' | 'query' | 'body';

export interface ValidatedInput {
  params?: unknown;
  query?: unknown;
  body?: unknown;
}

declare module 'fastify' {
  interface FastifyRequest {
    validated?: ValidatedInput;
  }
}

/** The request part as parsed by the endpoint's schema (see ValidationInterceptor). */
export const Input = createParamDecorator((part: InputPart, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<{ validated?: ValidatedInput }>();
  return request.validated?.[part];
});
