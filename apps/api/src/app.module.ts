import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { XorbConfig } from '@xorb/config-manager';
import type { DependencyCheck, Logger, ShutdownCoordinator } from '@xorb/observability';
import type { Registry } from 'prom-client';
import { HealthController } from './health/health.controller';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { CONFIG, LOGGER, METRICS_REGISTRY, READINESS_CHECKS, SHUTDOWN } from './tokens';

/** What the composition root (main.ts, or a test) provides to the API. */
export interface ApiDependencies {
  config: XorbConfig;
  logger: Logger;
  registry: Registry;
  checks: DependencyCheck[];
  shutdown: ShutdownCoordinator;
}

@Module({})
export class AppModule {
  static register(dependencies: ApiDependencies): DynamicModule {
    return {
      module: AppModule,
      controllers: [HealthController],
      providers: [
        { provide: CONFIG, useValue: dependencies.config },
        { provide: LOGGER, useValue: dependencies.logger },
        { provide: METRICS_REGISTRY, useValue: dependencies.registry },
        { provide: READINESS_CHECKS, useValue: dependencies.checks },
        { provide: SHUTDOWN, useValue: dependencies.shutdown },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
