import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { mountQueueDashboard } from './admin/queue-dashboard';
import { AppModule, type ApiDependencies } from './app.module';
import { AuthService } from './auth/auth.service';
import { observeRequests } from './http/request-observer';
import { addSecurityHeaders } from './http/security-headers';
import { NestLoggerAdapter } from './nest-logger';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/** Builds the API application; main.ts listens on it, tests inject into it. */
export async function createApiApp(dependencies: ApiDependencies): Promise<NestFastifyApplication> {
  const { config, logger, registry } = dependencies;
  const adapter = new FastifyAdapter({
    bodyLimit: config.apiService.bodyLimitBytes,
    requestTimeout: config.apiService.requestTimeoutSeconds * 1000,
    // Keep a caller's (or nginx's) request id when it looks like one; otherwise mint one.
    genReqId: (request: IncomingMessage) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    logger: false,
    // Behind nginx the client address is the last X-Forwarded-For hop nginx added.
    trustProxy: (_address: string, hop: number) => hop < config.apiService.trustProxyHops,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(dependencies), adapter, {
    logger: new NestLoggerAdapter(logger),
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  // While draining, answer the requests still in flight with `Connection: close`: a keep-alive
  // client (nginx, a load balancer) would otherwise hold the server open past the grace.
  fastify.addHook('onSend', (_request, reply, _payload, done) => {
    if (dependencies.shutdown.isShuttingDown) void reply.header('connection', 'close');
    done();
  });
  observeRequests(fastify, logger, registry);
  addSecurityHeaders(fastify, { hsts: config.env === 'production' || config.env === 'staging' });
  await mountQueueDashboard(fastify, dependencies.producers, app.get(AuthService));
  app.enableCors({
    origin: config.apiService.corsOrigins.length > 0 ? config.apiService.corsOrigins : false,
  });
  await app.init();
  return app;
}
