import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { createLogger } from './logger';
import { createMetricsRegistry } from './metrics';
import { closeServer, startOpsServer } from './ops-server';

const logger = createLogger({
  service: 'test',
  level: 'silent',
  destination: new Writable({ write: (_c, _e, cb) => cb() }),
});
let server: Server | undefined;

afterEach(async () => {
  if (server) await closeServer(server);
  server = undefined;
});

async function start(options: { redisUp: boolean; draining?: boolean }): Promise<string> {
  server = await startOpsServer({
    service: 'worker',
    host: '127.0.0.1',
    port: 0,
    logger,
    registry: createMetricsRegistry('worker'),
    checks: [
      { name: 'redis', check: async () => (options.redisUp ? undefined : Promise.reject(new Error('down'))) },
    ],
    isDraining: () => options.draining ?? false,
  });
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}

describe('ops server', () => {
  it('answers /health, /ready and /metrics', async () => {
    const base = await start({ redisUp: true });
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', failing: [] });
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(text).toContain('nodejs_heap_size_used_bytes{service="worker"}');
  });

  it('answers 503 naming the failing dependency', async () => {
    const base = await start({ redisUp: false });
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', failing: ['redis'] });
  });

  it('answers 503 while draining, and problem+json for unknown paths and methods', async () => {
    const base = await start({ redisUp: true, draining: true });
    expect((await fetch(`${base}/ready`)).status).toBe(503);
    const missing = await fetch(`${base}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect((await fetch(`${base}/health`, { method: 'POST' })).status).toBe(405);
  });
});
