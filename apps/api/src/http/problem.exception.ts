import { HttpException } from '@nestjs/common';
import { problem, type ProblemDetails } from './problem-details';

/** Throw to answer with application/problem+json; headers (Retry-After, WWW-Authenticate) ride along. */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    detail: string,
    extra: Partial<ProblemDetails> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(problem(status, detail, extra), status);
  }
}
