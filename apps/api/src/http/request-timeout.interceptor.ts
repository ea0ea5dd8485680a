import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { type Observable, throwError, TimeoutError, catchError, timeout } from 'rxjs';
import type { XorbConfig } from '@xorb/config-manager';
import { CONFIG } from '../tokens';
import { ProblemException } from './problem.exception';

/** A handler still running after TIMEOUT seconds answers 503 instead of holding the connection. */
@Injectable()
export class RequestTimeoutInterceptor implements NestInterceptor {
  private readonly milliseconds: number;

  constructor(@Inject(CONFIG) config: XorbConfig) {
    this.milliseconds = config.apiService.requestTimeoutSeconds * 1000;
  }

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      timeout(this.milliseconds),
      catchError((error: unknown) =>
        throwError(() =>
          error instanceof TimeoutError
            ? new ProblemException(
                503,
                `The request took longer than the ${this.milliseconds / 1000} s limit (TIMEOUT)`,
                {},
                { 'retry-after': '1' },
              )
            : error,
        ),
      ),
    );
  }
}
