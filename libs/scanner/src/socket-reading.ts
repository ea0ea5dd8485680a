import { type Socket } from 'node:net';

export interface ReadOptions {
  /** Stop once this many bytes have arrived (the result is cut to this length). */
  maxBytes: number;
  /** Stop once the bytes so far satisfy this. */
  until?: (received: Buffer) => boolean;
  /** Stop after this long in any case. Without it, only the other conditions (or the connection's bounds) end the read. */
  waitMs?: number;
  /** Stop once the peer has been quiet this long after sending something. */
  quietMs?: number;
}

/**
 * Collects what the peer sends until one of the stop conditions holds, or the
 * peer ends or closes the connection. Never rejects: errors end the read, and
 * the connection's own bounds report them.
 */
export function readSome(socket: Socket, { maxBytes, until, waitMs, quietMs }: ReadOptions): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let quietTimer: NodeJS.Timeout | undefined;
    const waitTimer = waitMs === undefined ? undefined : setTimeout(finish, waitMs);

    function received(): Buffer {
      return Buffer.concat(chunks, size);
    }
    function finish(): void {
      clearTimeout(waitTimer);
      clearTimeout(quietTimer);
      socket.off('data', onData);
      socket.off('end', finish);
      socket.off('close', finish);
      socket.off('error', finish);
      resolve(received().subarray(0, maxBytes));
    }
    function onData(chunk: Buffer): void {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= maxBytes || until?.(received())) return finish();
      if (quietMs !== undefined) {
        clearTimeout(quietTimer);
        quietTimer = setTimeout(finish, quietMs);
      }
    }

    socket.on('data', onData);
    socket.once('end', finish);
    socket.once('close', finish);
    socket.once('error', finish);
  });
}
