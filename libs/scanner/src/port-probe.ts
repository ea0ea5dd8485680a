import { setMaxListeners } from 'node:events';
import { isIP } from 'node:net';
import { isValidPort } from './port-scope';
import { tcpPortState } from './tcp-port-state';
import { TokenBucket } from './token-bucket';

export interface PortProbeProgress {
  /** Resume checkpoint: every port at an index below this is done. Pass it back as `startIndex`. */
  scanned: number;
  total: number;
  /** Open ports among those below the checkpoint, found by this run (not those before `startIndex`). */
  open: number[];
}

export interface PortProbeOptions {
  address: string;
  /** Probed in this order. */
  ports: readonly number[];
  /** Most connection attempts in flight at once. */
  concurrency: number;
  /** Most connection attempts started per second against this address. */
  ratePerSecond: number;
  /** Connections started back to back after a pause before the rate applies. Default 1. */
  burst?: number;
  /** Per port: a handshake not completed by then counts as filtered. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Index in `ports` to start at, from a previous run's progress checkpoint. Default 0. */
  startIndex?: number;
  onProgress?: (progress: PortProbeProgress) => void;
}

export interface PortProbeResult {
  /** Open ports found by this run, ascending. */
  open: number[];
  /** The checkpoint reached: `ports.length` once every port is done. */
  scanned: number;
}

/**
 * TCP connect scan of one address: bounded concurrency, a token-bucket rate,
 * a timeout per port, and cancellation. On abort no further connection starts,
 * sockets in flight are destroyed at once, and the promise rejects with the
 * signal's reason.
 */
export async function probePorts(options: PortProbeOptions): Promise<PortProbeResult> {
  const { address, ports, timeoutMs, onProgress } = options;
  const startIndex = options.startIndex ?? 0;
  validate(options, startIndex);
  options.signal?.throwIfAborted();

  const total = ports.length;
  const bucket = new TokenBucket({ ratePerSecond: options.ratePerSecond, burst: options.burst ?? 1 });
  const done = new Uint8Array(total);
  const openIndexes = new Set<number>();
  let nextIndex = startIndex;
  let checkpoint = startIndex;

  // One internal signal: it follows the caller's, and also stops everything when one probe fails.
  const stop = new AbortController();
  setMaxListeners(options.concurrency + 10, stop.signal);
  const forwardAbort = (): void => stop.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', forwardAbort, { once: true });

  const openBelow = (limit: number): number[] =>
    [...openIndexes]
      .filter((index) => index < limit)
      .map((index) => ports[index] as number)
      .sort((a, b) => a - b);

  const worker = async (): Promise<void> => {
    for (;;) {
      stop.signal.throwIfAborted();
      const index = nextIndex;
      if (index >= total) return;
      nextIndex += 1;
      await bucket.take(stop.signal);
      stop.signal.throwIfAborted();
      const state = await tcpPortState(
        { address, port: ports[index] as number },
        { timeoutMs, signal: stop.signal },
      );
      if (state === 'open') openIndexes.add(index);
      done[index] = 1;
      while (checkpoint < total && done[checkpoint] === 1) checkpoint += 1;
      onProgress?.({ scanned: checkpoint, total, open: openBelow(checkpoint) });
    }
  };

  const workerCount = Math.min(options.concurrency, total - startIndex);
  try {
    await Promise.all(
      Array.from({ length: workerCount }, () =>
        worker().catch((error: unknown) => {
          stop.abort(error);
          throw error;
        }),
      ),
    );
  } catch (error) {
    throw options.signal?.aborted ? options.signal.reason : error;
  } finally {
    options.signal?.removeEventListener('abort', forwardAbort);
  }
  return { open: openBelow(total), scanned: checkpoint };
}

function validate(options: PortProbeOptions, startIndex: number): void {
  if (isIP(options.address) === 0)
    throw new RangeError(`address must be an IP address, got "${options.address}"`);
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1)
    throw new RangeError('concurrency must be a positive integer');
  if (!(options.timeoutMs > 0)) throw new RangeError('timeoutMs must be positive');
  if (!Number.isInteger(startIndex) || startIndex < 0 || startIndex > options.ports.length)
    throw new RangeError(`startIndex must be within 0-${options.ports.length}`);
  const invalid = options.ports.find((port) => !isValidPort(port));
  if (invalid !== undefined) throw new RangeError(`invalid port ${invalid}`);
}
