import { createSocket, type Socket } from 'node:dgram';

const TYPE_A = 1;
const TYPE_AAAA = 28;
const TYPE_TXT = 16;

export type DnsAnswer = { a?: string[]; aaaa?: string[]; txt?: string[] } | 'nxdomain' | 'silent';

/**
 * A minimal authoritative DNS server on 127.0.0.1 answering A, AAAA and TXT
 * questions from a table: the stand-in for a customer's DNS in tests. Names not
 * in the table get NXDOMAIN; 'silent' names get no answer at all.
 */
export class DnsTestServer {
  readonly queries: string[] = [];
  private socket: Socket | undefined;
  private readonly table = new Map<string, DnsAnswer>();
  port = 0;

  set(name: string, answer: DnsAnswer): this {
    this.table.set(name.toLowerCase(), answer);
    return this;
  }

  get server(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const socket = createSocket('udp4');
    socket.on('message', (message, remote) => {
      const response = this.respond(message);
      if (response) socket.send(response, remote.port, remote.address);
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    this.socket = socket;
    this.port = socket.address().port;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.socket ? this.socket.close(() => resolve()) : resolve()));
  }

  private respond(query: Buffer): Buffer | undefined {
    if (query.length < 12) return undefined;
    const labels: string[] = [];
    let offset = 12;
    while (offset < query.length && query[offset] !== 0) {
      const length = query[offset] as number;
      labels.push(query.subarray(offset + 1, offset + 1 + length).toString('ascii'));
      offset += length + 1;
    }
    const type = query.readUInt16BE(offset + 1);
    const questionEnd = offset + 5;
    const name = labels.join('.').toLowerCase();
    this.queries.push(
      `${name}/${type === TYPE_A ? 'A' : type === TYPE_AAAA ? 'AAAA' : type === TYPE_TXT ? 'TXT' : type}`,
    );
    const entry = this.table.get(name) ?? 'nxdomain';
    if (entry === 'silent') return undefined;
    const records =
      entry === 'nxdomain'
        ? []
        : type === TYPE_A
          ? (entry.a ?? [])
          : type === TYPE_AAAA
            ? (entry.aaaa ?? [])
            : type === TYPE_TXT
              ? (entry.txt ?? [])
              : [];
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2);
    header.writeUInt16BE(0x8400 | (query.readUInt16BE(2) & 0x0100) | (entry === 'nxdomain' ? 3 : 0), 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(records.length, 6);
    const answers = records.map((address: string) => {
      const data =
        type === TYPE_A
          ? Buffer.from(address.split('.').map(Number))
          : type === TYPE_TXT
            ? txtBytes(address)
            : ipv6Bytes(address);
      const record = Buffer.alloc(12);
      record.writeUInt16BE(0xc00c, 0);
      record.writeUInt16BE(type, 2);
      record.writeUInt16BE(1, 4);
      record.writeUInt32BE(60, 6);
      record.writeUInt16BE(data.length, 10);
      return Buffer.concat([record, data]);
    });
    return Buffer.concat([header, query.subarray(12, questionEnd), ...answers]);
  }
}

function ipv6Bytes(address: string): Buffer {
  const [head = '', tail = ''] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros = address.includes('::') ? 8 - headGroups.length - tailGroups.length : 0;
  const groups = [...headGroups, ...Array<string>(zeros).fill('0'), ...tailGroups];
  const bytes = Buffer.alloc(16);
  groups.forEach((group, index) => bytes.writeUInt16BE(parseInt(group, 16), index * 2));
  return bytes;
}

/** One character-string: a length byte, then the text (at most 255 bytes). */
function txtBytes(text: string): Buffer {
  const data = Buffer.from(text, 'utf8').subarray(0, 255);
  return Buffer.concat([Buffer.from([data.length]), data]);
}
