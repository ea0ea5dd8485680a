import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { checkReadiness, type DependencyCheck, type ReadinessReport } from './readiness';

export interface OpsServerOptions {
  service: string;
  host: string;
  port: number;
  logger: Logger;
  registry: Registry;
  checks: readonly DependencyCheck[];
  /** While true, /ready answers 503 so load balancers stop sending work. */
  isDraining?: () => boolean;
}

/** Readiness as the HTTP answer every XORB service gives on /ready. */
export async function readinessResponse(
  checks: readonly DependencyCheck[],
  draining: boolean,
): Promise<{ statusCode: number; body: ReadinessReport | { status: 'draining'; failing: string[] } }> {
  if (draining) return { statusCode: 503, body: { status: 'draining', failing: [] } };
  const report = await checkReadiness(checks);
  return { statusCode: report.status === 'ready' ? 200 : 503, body: report };
}

/**
 * The health, readiness and metrics endpoints of a service that has no HTTP API
 * of its own (orchestrator, worker).
 */
export async function startOpsServer(options: OpsServerOptions): Promise<Server> {
  const server = createServer((request, response) => {
    // Draining: close keep-alive connections after this answer, so shutdown is not held up.
    if (options.isDraining?.()) response.setHeader('connection', 'close');
    void route(options, request, response).catch((error: unknown) => {
      options.logger.error({ error, path: request.url }, 'Ops endpoint failed');
      if (!response.headersSent) send(response, 500, { status: 'error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.keepAliveTimeout = 5_000;
  return server;
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}

async function route(
  options: OpsServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return sendProblem(response, 405, 'Method Not Allowed', `${request.method} is not supported on ${path}`);
  }
  switch (path) {
    case '/health':
      return send(response, 200, { status: 'ok', service: options.service });
    case '/ready': {
      const { statusCode, body } = await readinessResponse(options.checks, options.isDraining?.() ?? false);
      return send(response, statusCode, body);
    }
    case '/metrics': {
      const text = await options.registry.metrics();
      response.writeHead(200, { 'content-type': options.registry.contentType });
      response.end(text);
      return;
    }
    default:
      return sendProblem(
        response,
        404,
        'Not Found',
        `No endpoint at ${path}; try /health, /ready or /metrics`,
      );
  }
}

function send(response: ServerResponse, statusCode: number, body: unknown): void {
  response.writeHead(statusCode, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(JSON.stringify(body));
}

function sendProblem(response: ServerResponse, status: number, title: string, detail: string): void {
  response.writeHead(status, { 'content-type': 'application/problem+json' });
  response.end(JSON.stringify({ type: 'about:blank', title, status, detail }));
}
