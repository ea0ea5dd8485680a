import { withTcpConnection, type Bounds, type Endpoint } from './bounded-connection';
import { readSome } from './socket-reading';
import { type RedisObservation } from './service-observation';

const INFO_FIELDS = ['redis_version', 'redis_mode', 'os'];
const MAX_INFO_BYTES = 16 * 1024;

/** Whether bytes look like a RESP reply (what Redis answers to anything, HTTP included). */
export function looksLikeRedisReply(bytes: Buffer): boolean {
  return /^(?:[-+](?:ERR|NOAUTH|DENIED|WRONGPASS|PONG|OK)\b|-ERR unknown command)/.test(
    bytes.toString('latin1'),
  );
}

/**
 * Sends `PING`. "+PONG" means the server serves anyone; "-NOAUTH" means it asks
 * for a password. When PING is answered, reads a few INFO server fields (read-only).
 * Resolves undefined when the reply is not Redis.
 */
export async function probeRedis(endpoint: Endpoint, bounds: Bounds): Promise<RedisObservation | undefined> {
  return withTcpConnection(endpoint, bounds, async (socket) => {
    socket.write('PING\r\n');
    const reply = firstLine(
      await readSome(socket, { maxBytes: 512, until: (bytes) => bytes.includes('\r\n') }),
    );
    if (!/^[-+]/.test(reply)) return undefined;
    const pingAnswered = reply === '+PONG';
    if (!pingAnswered) return { pingAnswered, reply };
    socket.write('INFO server\r\n');
    const info = await readSome(socket, { maxBytes: MAX_INFO_BYTES, until: bulkStringComplete });
    const fields = selectedInfo(info.toString('utf8'));
    return fields ? { pingAnswered, reply, info: fields } : { pingAnswered, reply };
  });
}

function firstLine(bytes: Buffer): string {
  return bytes.toString('latin1').split('\r\n')[0] ?? '';
}

function bulkStringComplete(bytes: Buffer): boolean {
  const header = /^\$(-?\d+)\r\n/.exec(bytes.toString('latin1', 0, 24));
  if (!header) return bytes.includes('\r\n');
  return bytes.length >= header[0].length + Number(header[1]) + 2;
}

function selectedInfo(text: string): string | undefined {
  const lines = text
    .split('\r\n')
    .filter((line) => INFO_FIELDS.some((field) => line.startsWith(`${field}:`)));
  return lines.length > 0 ? lines.join('\n') : undefined;
}
