import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import type { XorbConfig } from '@xorb/config-manager';
import type { Pool } from '@xorb/db';
import type { DependencyCheck, Logger, ShutdownCoordinator } from '@xorb/observability';
import type { Redis } from '@xorb/redis';
import type { Client } from '@temporalio/client';
import type { EmbeddingProvider } from '@xorb/embeddings';
import type { Registry } from 'prom-client';
import { AuditController } from './audit/audit.controller';
import { AuditService } from './audit/audit.service';
import { ApiKeyCache } from './auth/api-key-cache';
import { AuthGuard } from './auth/auth.guard';
import { AuthService } from './auth/auth.service';
import { DocsController } from './docs/docs.controller';
import { HealthController } from './health/health.controller';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { RATE_LIMITER, RateLimitGuard } from './http/rate-limit.guard';
import { RedisRateLimiter } from './http/rate-limiter';
import { RequestTimeoutInterceptor } from './http/request-timeout.interceptor';
import { ValidationInterceptor } from './http/validation.interceptor';
import { ApiKeysController } from './identity/api-keys.controller';
import { AuthController } from './identity/auth.controller';
import { UsersController } from './identity/users.controller';
import { TargetsController } from './targets/targets.controller';
import { TargetsService } from './targets/targets.service';
import { localMetrics, type MetricsSource } from './cluster/metrics-source';
import {
  CONFIG,
  EMBEDDER,
  LOGGER,
  METRICS_REGISTRY,
  METRICS_SOURCE,
  PG_POOL,
  PRODUCERS,
  READINESS_CHECKS,
  REDIS,
  SHUTDOWN,
  TEMPORAL_CLIENT,
} from './tokens';
import { ScansController } from './scans/scans.controller';
import { ScansService } from './scans/scans.service';
import { SchedulesController } from './scans/schedules.controller';
import { SchedulesService } from './scans/schedules.service';
import { FindingsController } from './findings/findings.controller';
import { FindingsService } from './findings/findings.service';
import { ReportsController } from './reports/reports.controller';
import { ReportsService } from './reports/reports.service';
import { WebhooksController } from './webhooks/webhooks.controller';
import { WebhooksService } from './webhooks/webhooks.service';
import type { Producers } from '@xorb/queues';

/** What the composition root (main.ts, or a test) provides to the API. */
export interface ApiDependencies {
  config: XorbConfig;
  logger: Logger;
  registry: Registry;
  checks: DependencyCheck[];
  shutdown: ShutdownCoordinator;
  pool: Pool;
  redis: Redis;
  /** Defaults to this process's registry; cluster workers pass the aggregated source. */
  metrics?: MetricsSource;
  temporal: Client;
  producers: Producers;
  /** Undefined when EMBEDDINGS_PROVIDER is none. */
  embedder: EmbeddingProvider | undefined;
}

@Module({})
export class AppModule {
  static register(dependencies: ApiDependencies): DynamicModule {
    const { config, redis } = dependencies;
    return {
      module: AppModule,
      controllers: [
        HealthController,
        DocsController,
        AuthController,
        UsersController,
        ApiKeysController,
        TargetsController,
        SchedulesController,
        ScansController,
        FindingsController,
        ReportsController,
        WebhooksController,
        AuditController,
      ],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: dependencies.logger },
        { provide: METRICS_REGISTRY, useValue: dependencies.registry },
        { provide: METRICS_SOURCE, useValue: dependencies.metrics ?? localMetrics(dependencies.registry) },
        { provide: READINESS_CHECKS, useValue: dependencies.checks },
        { provide: SHUTDOWN, useValue: dependencies.shutdown },
        { provide: PG_POOL, useValue: dependencies.pool },
        { provide: REDIS, useValue: redis },
        { provide: TEMPORAL_CLIENT, useValue: dependencies.temporal },
        { provide: PRODUCERS, useValue: dependencies.producers },
        { provide: EMBEDDER, useValue: dependencies.embedder ?? null },
        {
          provide: RATE_LIMITER,
          useValue: new RedisRateLimiter(
            redis,
            config.redis.keyPrefix,
            config.security.rateLimit.maxRequests,
            config.security.rateLimit.windowSeconds,
          ),
        },
        ApiKeyCache,
        AuthService,
        AuditService,
        TargetsService,
        ScansService,
        SchedulesService,
        FindingsService,
        ReportsService,
        WebhooksService,
        // Guards run in this order: who is calling, then how often.
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_INTERCEPTOR, useClass: RequestTimeoutInterceptor },
        { provide: APP_INTERCEPTOR, useClass: ValidationInterceptor },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
