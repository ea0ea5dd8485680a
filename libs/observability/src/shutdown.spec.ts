import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';
import { ShutdownCoordinator } from './shutdown';

const quietLogger = createLogger({
  service: 'test',
  level: 'silent',
  destination: new Writable({ write: (_c, _e, cb) => cb() }),
});

describe('ShutdownCoordinator', () => {
  it('runs steps in registration order, once, and reports success', async () => {
    const order: string[] = [];
    const coordinator = new ShutdownCoordinator({ logger: quietLogger, graceSeconds: 5 });
    coordinator.register('http', async () => void order.push('http'));
    coordinator.register('db', () => void order.push('db'));
    const [first, second] = await Promise.all([
      coordinator.shutdown('SIGTERM'),
      coordinator.shutdown('SIGINT'),
    ]);
    expect([first, second]).toEqual([0, 0]);
    expect(order).toEqual(['http', 'db']);
    expect(coordinator.isShuttingDown).toBe(true);
  });

  it('keeps going when a step fails', async () => {
    const order: string[] = [];
    const coordinator = new ShutdownCoordinator({ logger: quietLogger, graceSeconds: 5 });
    coordinator.register('broken', () => {
      throw new Error('boom');
    });
    coordinator.register('db', () => void order.push('db'));
    expect(await coordinator.shutdown('test')).toBe(0);
    expect(order).toEqual(['db']);
  });

  it('gives up with exit code 1 when the grace runs out', async () => {
    const coordinator = new ShutdownCoordinator({ logger: quietLogger, graceSeconds: 0.05 });
    coordinator.register('stuck', () => new Promise(() => undefined));
    expect(await coordinator.shutdown('test')).toBe(1);
  });
});
