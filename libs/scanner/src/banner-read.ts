import { withTcpConnection, type Bounds, type Endpoint } from './bounded-connection';
import { readSome } from './socket-reading';

const MAX_BANNER_BYTES = 256;
/** After the first bytes, how long to wait for the rest of a banner that arrives in pieces. */
const SETTLE_MS = 150;

/**
 * Connects and listens, sending nothing, for up to `waitMs`: services such as
 * FTP, SMTP, SSH and Telnet speak first. Resolves undefined when the server
 * stays silent (or cannot be reached).
 */
export async function readBanner(
  endpoint: Endpoint,
  waitMs: number,
  bounds: Bounds,
): Promise<Buffer | undefined> {
  const bytes = await withTcpConnection(endpoint, bounds, (socket) =>
    readSome(socket, {
      maxBytes: MAX_BANNER_BYTES,
      waitMs,
      quietMs: SETTLE_MS,
      until: (received) => received.includes(0x0a),
    }),
  );
  return bytes.length === 0 ? undefined : bytes;
}

/** Renders bytes for people and logs: text as is, other bytes as \xNN, carriage returns dropped. */
export function printable(bytes: Buffer): string {
  let text = '';
  for (const byte of bytes) {
    if (byte === 0x0d) continue;
    if (byte === 0x0a || byte === 0x09 || (byte >= 0x20 && byte < 0x7f)) text += String.fromCharCode(byte);
    else text += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return text.trimEnd();
}
