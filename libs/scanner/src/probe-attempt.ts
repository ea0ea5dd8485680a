import { type Bounds } from './bounded-connection';

/**
 * Runs one fingerprinting attempt. Failing to connect, time-outs and protocol
 * mismatches all mean "not this service" (undefined); an abort propagates.
 */
export async function attemptProbe<T>(run: () => Promise<T>, bounds: Bounds): Promise<T | undefined> {
  try {
    return await run();
  } catch {
    if (bounds.signal?.aborted) throw bounds.signal.reason;
    return undefined;
  }
}
