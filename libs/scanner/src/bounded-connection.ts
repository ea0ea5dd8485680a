import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions, type TLSSocket } from 'node:tls';

export interface Endpoint {
  /** An IP address: scanning code connects to addresses, never to names. */
  address: string;
  port: number;
}

export interface Bounds {
  /** Upper bound for the whole exchange: connect, handshake and whatever `use` does. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** The exchange on a connection did not finish within its time bound. */
export class ConnectionTimeoutError extends Error {
  override readonly name = 'ConnectionTimeoutError';
  readonly code = 'ETIMEDOUT';
}

type TlsOptions = Omit<ConnectionOptions, 'host' | 'port' | 'socket' | 'path'>;

/** Opens a plain TCP connection, runs `use` on it, and always destroys the socket afterwards. */
export function withTcpConnection<T>(
  endpoint: Endpoint,
  bounds: Bounds,
  use: (socket: Socket) => Promise<T>,
): Promise<T> {
  return bounded(() => connectTcp({ host: endpoint.address, port: endpoint.port }), 'connect', bounds, use);
}

/** Opens a TLS connection (resolving after the handshake), runs `use`, and always destroys the socket. */
export function withTlsConnection<T>(
  endpoint: Endpoint,
  options: TlsOptions,
  bounds: Bounds,
  use: (socket: TLSSocket) => Promise<T>,
): Promise<T> {
  return bounded(
    () => connectTls({ ...options, host: endpoint.address, port: endpoint.port }),
    'secureConnect',
    bounds,
    use,
  );
}

/**
 * The one place sockets are bounded: a timer and the abort signal both destroy
 * the socket at once and settle the promise; so does any socket error.
 */
function bounded<S extends Socket, T>(
  open: () => S,
  readyEvent: 'connect' | 'secureConnect',
  { timeoutMs, signal }: Bounds,
  use: (socket: S) => Promise<T>,
): Promise<T> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const socket = open();
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      outcome();
    };
    const onAbort = (): void => settle(() => reject(signal?.reason));
    const timer = setTimeout(
      () => settle(() => reject(new ConnectionTimeoutError(`no answer within ${timeoutMs} ms`))),
      timeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('error', (error) => settle(() => reject(error)));
    socket.once(readyEvent, () => {
      use(socket).then(
        (value) => settle(() => resolve(value)),
        (error: unknown) => settle(() => reject(error)),
      );
    });
  });
}
