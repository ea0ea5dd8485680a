import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { Logger } from '@xorb/observability';

/** Probes and scrapes are too frequent to log or to count as traffic. */
const QUIET_PATHS = new Set(['/health', '/ready', '/metrics']);

/** Access log lines and HTTP RED metrics for every request, labelled by route template. */
export function observeRequests(fastify: FastifyInstance, logger: Logger, registry: Registry): void {
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    const path = request.url.split('?')[0] ?? '/';
    if (QUIET_PATHS.has(path)) return done();
    const seconds = reply.elapsedTime / 1000;
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route, status_code: String(reply.statusCode) };
    requests.inc(labels);
    duration.observe(labels, seconds);
    logger.info(
      {
        request_id: request.id,
        method: request.method,
        path,
        route,
        status_code: reply.statusCode,
        duration: Math.round(seconds * 1000) / 1000,
        ip: request.ip,
      },
      'Request processed',
    );
    done();
  });
}
