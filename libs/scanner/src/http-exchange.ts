import { isIP, type Socket } from 'node:net';
import { withTcpConnection, withTlsConnection, type Bounds, type Endpoint } from './bounded-connection';
import { readSome } from './socket-reading';
import { observingTlsOptions } from './tls-client-options';

export interface HttpRequestTarget extends Endpoint {
  /** Sent as the Host header (and SNI over TLS); the connection still goes to `address`. */
  hostname: string;
  scheme: 'http' | 'https';
  path: string;
}

export interface HttpResponseHead {
  status: number;
  /** Names lower-cased; repeated headers joined with ", ". */
  headers: Record<string, string>;
}

export type HttpExchange =
  | ({ kind: 'http'; body: Buffer } & HttpResponseHead)
  /** The peer answered, but not in HTTP: its first bytes, which say what it is instead. */
  | { kind: 'not-http'; reply: Buffer };

const MAX_HEAD_BYTES = 16 * 1024;
const MAX_HEADERS = 100;

/**
 * One HTTP/1.1 GET on a fresh connection to the given address, with
 * `Connection: close`. Reads the head and at most `maxBodyBytes` of the body;
 * never follows redirects.
 */
export async function httpGet(
  target: HttpRequestTarget,
  bounds: Bounds,
  maxBodyBytes: number,
): Promise<HttpExchange> {
  const exchange = async (socket: Socket): Promise<HttpExchange> => {
    socket.write(requestText(target));
    const received = await readSome(socket, {
      maxBytes: MAX_HEAD_BYTES + maxBodyBytes,
      until: (bytes) => messageComplete(bytes, maxBodyBytes),
    });
    return parseResponse(received, maxBodyBytes);
  };
  return target.scheme === 'https'
    ? withTlsConnection(target, observingTlsOptions(target.hostname), bounds, exchange)
    : withTcpConnection(target, bounds, exchange);
}

/** The Host header value: brackets around IPv6, the port unless it is the scheme's default. */
export function hostHeader(hostname: string, port: number, scheme: 'http' | 'https'): string {
  const host = isIP(hostname) === 6 ? `[${hostname}]` : hostname;
  const defaultPort = scheme === 'https' ? 443 : 80;
  return port === defaultPort ? host : `${host}:${port}`;
}

function requestText({ hostname, port, scheme, path }: HttpRequestTarget): string {
  return [
    `GET ${path} HTTP/1.1`,
    `Host: ${hostHeader(hostname, port, scheme)}`,
    'User-Agent: XORB-Scanner/1.0 (+attack-surface monitoring)',
    'Accept: */*',
    'Connection: close',
    '',
    '',
  ].join('\r\n');
}

function headLength(bytes: Buffer): number {
  const crlf = bytes.indexOf('\r\n\r\n');
  if (crlf !== -1) return crlf + 4;
  const lf = bytes.indexOf('\n\n');
  return lf === -1 ? -1 : lf + 2;
}

function messageComplete(bytes: Buffer, maxBodyBytes: number): boolean {
  if (bytes.length >= 5 && !bytes.subarray(0, 5).equals(Buffer.from('HTTP/'))) return true;
  const headEnd = headLength(bytes);
  if (headEnd === -1) return false;
  if (maxBodyBytes === 0) return true;
  const head = parseHead(bytes.subarray(0, headEnd));
  if (!head) return true;
  const body = bytes.subarray(headEnd);
  if (head.headers['transfer-encoding']?.toLowerCase().includes('chunked'))
    return body.includes('\r\n0\r\n\r\n') || body.subarray(0, 5).equals(Buffer.from('0\r\n\r\n'));
  const length = Number(head.headers['content-length']);
  if (Number.isInteger(length)) return body.length >= Math.min(length, maxBodyBytes);
  return body.length >= maxBodyBytes;
}

function parseResponse(bytes: Buffer, maxBodyBytes: number): HttpExchange {
  const headEnd = headLength(bytes);
  const head = headEnd === -1 ? undefined : parseHead(bytes.subarray(0, headEnd));
  if (!head) return { kind: 'not-http', reply: bytes.subarray(0, 512) };
  let body = bytes.subarray(headEnd, headEnd + maxBodyBytes);
  if (head.headers['transfer-encoding']?.toLowerCase().includes('chunked')) body = decodeChunked(body);
  return { kind: 'http', ...head, body };
}

function parseHead(head: Buffer): HttpResponseHead | undefined {
  const lines = head.toString('latin1').split(/\r?\n/);
  const statusLine = /^HTTP\/\d(?:\.\d)? (\d{3})(?: |$)/.exec(lines[0] ?? '');
  if (!statusLine) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1, MAX_HEADERS + 1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { status: Number(statusLine[1]), headers };
}

function decodeChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < body.length) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd === -1) break;
    const size = Number.parseInt(body.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isInteger(size) || size <= 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
