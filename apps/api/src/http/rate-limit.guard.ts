import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ENDPOINT_SPEC, type EndpointSpec } from './endpoint';
import { ProblemException } from './problem.exception';
import { type RedisRateLimiter } from './rate-limiter';

export const RATE_LIMITER = Symbol('RateLimiter');

/**
 * Limits every API endpoint per caller: the API key or user when authenticated,
 * the client address otherwise. Runs after AuthGuard. Answers with the IETF
 * RateLimit headers, and 429 with Retry-After once the window is used up.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(RATE_LIMITER) private readonly limiter: RedisRateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const spec = this.reflector.get<EndpointSpec | undefined>(ENDPOINT_SPEC, context.getHandler());
    if (!spec) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const subject = request.principal
      ? `${request.principal.kind}:${request.principal.id}`
      : `ip:${request.ip}`;
    const verdict = await this.limiter.hit(subject);
    const headers = {
      'ratelimit-policy': this.limiter.policy,
      ratelimit: `limit=${verdict.limit}, remaining=${verdict.remaining}, reset=${verdict.resetSeconds}`,
      'ratelimit-limit': String(verdict.limit),
      'ratelimit-remaining': String(verdict.remaining),
      'ratelimit-reset': String(verdict.resetSeconds),
    };
    void reply.headers(headers);
    if (!verdict.allowed) {
      throw new ProblemException(
        429,
        `Rate limit of ${verdict.limit} requests per window exceeded; retry in ${verdict.resetSeconds} s`,
        {},
        { ...headers, 'retry-after': String(verdict.resetSeconds) },
      );
    }
    return true;
  }
}
