import { ConnectionTimeoutError, withTcpConnection, type Bounds, type Endpoint } from './bounded-connection';

/** open: the handshake completed; closed: refused or reset; filtered: no answer in time; unreachable: no route. */
export type TcpPortState = 'open' | 'closed' | 'filtered' | 'unreachable';

/** Errors that say something about this machine, not the target: probing further would only lie. */
const LOCAL_FAILURES = new Set(['EMFILE', 'ENFILE', 'ENOBUFS', 'ENOMEM', 'EADDRNOTAVAIL', 'EACCES', 'EPERM']);
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN']);

/** A probe could not run because of a local resource or permission problem. */
export class LocalProbeError extends Error {
  override readonly name = 'LocalProbeError';
}

/**
 * Connect-only probe: completes the TCP handshake and closes at once, never
 * sending a byte. Rejects with the signal's reason on abort, and with
 * LocalProbeError when the failure is on this side.
 */
export async function tcpPortState(endpoint: Endpoint, bounds: Bounds): Promise<TcpPortState> {
  try {
    return await withTcpConnection(endpoint, bounds, async () => 'open' as const);
  } catch (error) {
    if (bounds.signal?.aborted) throw bounds.signal.reason;
    if (error instanceof ConnectionTimeoutError) return 'filtered';
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (LOCAL_FAILURES.has(code))
      throw new LocalProbeError(`cannot probe ${endpoint.address}:${endpoint.port}: ${code}`, {
        cause: error,
      });
    if (UNREACHABLE.has(code)) return 'unreachable';
    return 'closed';
  }
}
