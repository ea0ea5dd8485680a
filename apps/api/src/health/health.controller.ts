import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { readinessResponse, type DependencyCheck, type ShutdownCoordinator } from '@xorb/observability';
import type { MetricsSource } from '../cluster/metrics-source';
import { METRICS_SOURCE, READINESS_CHECKS, SHUTDOWN } from '../tokens';

/** Liveness, readiness and metrics: the same contract as every XORB service. */
@Controller()
export class HealthController {
  constructor(
    @Inject(READINESS_CHECKS) private readonly checks: DependencyCheck[],
    @Inject(METRICS_SOURCE) private readonly metricsSource: MetricsSource,
    @Inject(SHUTDOWN) private readonly shutdown: ShutdownCoordinator,
  ) {}

  @Get('health')
  @Header('cache-control', 'no-store')
  health(): { status: 'ok'; service: 'api' } {
    return { status: 'ok', service: 'api' };
  }

  @Get('ready')
  @Header('cache-control', 'no-store')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    const { statusCode, body } = await readinessResponse(this.checks, this.shutdown.isShuttingDown);
    reply.status(statusCode);
    return body;
  }

  @Get('metrics')
  async metrics(@Res() reply: FastifyReply): Promise<void> {
    const text = await this.metricsSource.metrics();
    await reply.header('content-type', this.metricsSource.contentType).send(text);
  }
}
