import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { probePorts, type PortProbeProgress } from '../src/port-probe';
import { BlackholePorts } from './support/blackhole-ports';
import { closedPort, CountingServer } from './support/loopback';
import { SocketTracker } from './support/socket-tracker';

const LOOPBACK = '127.0.0.1';
const FAST = { concurrency: 8, ratePerSecond: 10_000, timeoutMs: 2_000 };

async function countingServers(count: number): Promise<CountingServer[]> {
  return Promise.all(Array.from({ length: count }, () => new CountingServer().start()));
}

function totalConnections(servers: CountingServer[]): number {
  return servers.reduce((sum, server) => sum + server.connections, 0);
}

describe('probePorts', () => {
  const servers: CountingServer[] = [];
  const blackhole = new BlackholePorts();
  let tracker: SocketTracker | undefined;

  beforeAll(async () => {
    await blackhole.start(8);
  });
  afterEach(() => tracker?.restore());
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await blackhole.stop();
  });

  async function listening(count: number): Promise<CountingServer[]> {
    const started = await countingServers(count);
    servers.push(...started);
    return started;
  }

  it('finds exactly the open ports, connecting once each and sending nothing', async () => {
    const open = await listening(3);
    const closed = [await closedPort(), await closedPort()];
    const ports = [...open.map((server) => server.port), ...closed].sort((a, b) => a - b);
    const progress: PortProbeProgress[] = [];

    const result = await probePorts({
      address: LOOPBACK,
      ports,
      ...FAST,
      onProgress: (p) => progress.push(p),
    });

    expect(result.open).toEqual(open.map((server) => server.port).sort((a, b) => a - b));
    expect(result.scanned).toBe(ports.length);
    expect(progress).toHaveLength(ports.length);
    expect(progress.at(-1)).toEqual({ scanned: ports.length, total: ports.length, open: result.open });
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const server of open) {
      expect(server.connections).toBe(1);
      expect(server.bytesReceived).toBe(0);
    }
  });

  it('probes IPv6 loopback too', async () => {
    const server = new CountingServer();
    servers.push(server);
    server.port = await (await import('./support/loopback')).listenOnLoopback(server.server, '::1');
    const result = await probePorts({ address: '::1', ports: [server.port, await closedPort()], ...FAST });
    expect(result.open).toEqual([server.port]);
  });

  it('counts a port whose SYN goes unanswered as not open, after the per-port timeout', async () => {
    const started = performance.now();
    const result = await probePorts({
      address: LOOPBACK,
      ports: [blackhole.ports[0] as number],
      ...FAST,
      timeoutMs: 200,
    });
    const elapsed = performance.now() - started;
    expect(result).toEqual({ open: [], scanned: 1 });
    expect(elapsed).toBeGreaterThanOrEqual(195);
  });

  it('never has more connection attempts in flight than the concurrency', async () => {
    tracker = new SocketTracker().install();
    const started = performance.now();
    const result = await probePorts({
      address: LOOPBACK,
      ports: blackhole.ports,
      concurrency: 3,
      ratePerSecond: 10_000,
      timeoutMs: 300,
    });
    const elapsed = performance.now() - started;
    expect(result).toEqual({ open: [], scanned: 8 });
    expect(tracker.startedAt).toHaveLength(8);
    expect(tracker.maxInFlight).toBe(3);
    // 8 hanging ports, 3 at a time, 300 ms each: three waves.
    expect(elapsed).toBeGreaterThanOrEqual(3 * 300 - 10);
  });

  it('starts connections no faster than the rate allows', async () => {
    const targets = await listening(8);
    const result = await probePorts({
      address: LOOPBACK,
      ports: targets.map((server) => server.port),
      concurrency: 8,
      ratePerSecond: 20,
      timeoutMs: 1_000,
    });
    expect(result.open).toHaveLength(8);
    const times = targets.flatMap((server) => server.connectedAt).sort((a, b) => a - b);
    expect(times).toHaveLength(8);
    const first = times[0] as number;
    // 20/s with a burst of 1: the k-th connection comes no earlier than k × 50 ms after the first.
    times.forEach((time, k) => expect(time - first).toBeGreaterThanOrEqual(k * 50 - 5));
  });

  it('stops starting connections when aborted, and rejects with the abort reason', async () => {
    const targets = await listening(12);
    const controller = new AbortController();
    const reason = new Error('scan cancelled');
    setTimeout(() => controller.abort(reason), 175);
    const run = probePorts({
      address: LOOPBACK,
      ports: targets.map((server) => server.port),
      concurrency: 4,
      ratePerSecond: 20,
      timeoutMs: 1_000,
      signal: controller.signal,
    });
    await expect(run).rejects.toBe(reason);
    const atAbort = totalConnections(targets);
    expect(atAbort).toBeGreaterThanOrEqual(2);
    expect(atAbort).toBeLessThanOrEqual(5);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(totalConnections(targets)).toBe(atAbort);
  });

  it('destroys connection attempts in flight the moment it is aborted', async () => {
    tracker = new SocketTracker().install();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const run = probePorts({
      address: LOOPBACK,
      ports: blackhole.ports,
      concurrency: 4,
      ratePerSecond: 10_000,
      timeoutMs: 10_000,
      signal: controller.signal,
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    // Well before the 10 s timeout: the abort, not a timer, ended it.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(tracker.sockets).toHaveLength(4);
    expect(tracker.sockets.every((socket) => socket.destroyed)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(tracker.sockets).toHaveLength(4);
  });

  it('rejects at once, connecting nowhere, when the signal is already aborted', async () => {
    const [target] = await listening(1);
    const controller = new AbortController();
    controller.abort();
    await expect(
      probePorts({ address: LOOPBACK, ports: [target?.port as number], ...FAST, signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(target?.connections).toBe(0);
  });

  it('resumes from startIndex without probing the ports before it', async () => {
    const targets = await listening(5);
    const ports = targets.map((server) => server.port);
    const progress: PortProbeProgress[] = [];
    const result = await probePorts({
      address: LOOPBACK,
      ports,
      ...FAST,
      startIndex: 2,
      onProgress: (p) => progress.push(p),
    });
    expect(result).toEqual({ open: ports.slice(2).sort((a, b) => a - b), scanned: 5 });
    expect(targets.map((server) => server.connections)).toEqual([0, 0, 1, 1, 1]);
    expect(progress.every((p) => p.scanned >= 2 && p.total === 5)).toBe(true);

    const none = await probePorts({ address: LOOPBACK, ports, ...FAST, startIndex: 5 });
    expect(none).toEqual({ open: [], scanned: 5 });
  });

  it('reports checkpoints below which every port is done, so a resume never skips a port', async () => {
    const [first, second] = await listening(2);
    const ports = [
      blackhole.ports[1] as number,
      first?.port as number,
      second?.port as number,
      await closedPort(),
    ];
    const progress: PortProbeProgress[] = [];
    const result = await probePorts({
      address: LOOPBACK,
      ports,
      concurrency: 4,
      ratePerSecond: 10_000,
      timeoutMs: 300,
      onProgress: (p) => progress.push({ ...p, open: [...p.open] }),
    });
    expect(result.open).toEqual([ports[1], ports[2]].sort((a, b) => (a as number) - (b as number)));
    // The three fast ports finish while the first still hangs: the checkpoint stays at 0.
    expect(progress.slice(0, 3)).toEqual([
      { scanned: 0, total: 4, open: [] },
      { scanned: 0, total: 4, open: [] },
      { scanned: 0, total: 4, open: [] },
    ]);
    expect(progress[3]).toEqual({ scanned: 4, total: 4, open: result.open });

    // Resuming from any checkpoint and merging its open ports gives the full answer.
    for (const checkpoint of progress) {
      const resumed = await probePorts({
        address: LOOPBACK,
        ports,
        concurrency: 4,
        ratePerSecond: 10_000,
        timeoutMs: 300,
        startIndex: checkpoint.scanned,
      });
      expect([...new Set([...checkpoint.open, ...resumed.open])].sort((a, b) => a - b)).toEqual(result.open);
    }
  });

  it('validates its options', async () => {
    const base = { ports: [80], ...FAST };
    await expect(probePorts({ ...base, address: 'localhost' })).rejects.toThrow(/IP address/);
    await expect(probePorts({ ...base, address: LOOPBACK, concurrency: 0 })).rejects.toThrow(/concurrency/);
    await expect(probePorts({ ...base, address: LOOPBACK, ratePerSecond: 0 })).rejects.toThrow(
      /ratePerSecond/,
    );
    await expect(probePorts({ ...base, address: LOOPBACK, startIndex: 2 })).rejects.toThrow(/startIndex/);
    await expect(probePorts({ ...base, address: LOOPBACK, ports: [0] })).rejects.toThrow(/invalid port/);
  });
});
