import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

const TYPE_A = 1;
const CLASS_IN = 1;

/**
 * A tiny authoritative DNS server on 127.0.0.1 (UDP) standing in for Docker's embedded
 * DNS: it answers A queries for the names it was given, with a list of addresses that a
 * test can change at any time (replicas added, removed, restarted), rotated from one
 * answer to the next, and NXDOMAIN for any other name. It never forwards a query anywhere.
 */
export class TestDnsServer {
  private readonly records = new Map<string, string[]>();
  /** Every question asked, in order (name, type). */
  readonly queries: Array<{ name: string; type: number; at: number }> = [];

  private constructor(
    private readonly socket: Socket,
    readonly port: number,
    private readonly ttlSeconds: number,
  ) {}

  static async start(ttlSeconds = 1): Promise<TestDnsServer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolveBind, rejectBind) => {
      socket.once('error', rejectBind);
      socket.bind(0, '127.0.0.1', () => resolveBind());
    });
    const server = new TestDnsServer(socket, socket.address().port, ttlSeconds);
    socket.on('message', (message, remote) => server.answer(message, remote));
    return server;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  set(name: string, addresses: readonly string[]): void {
    this.records.set(name.toLowerCase(), [...addresses]);
  }

  queriesFor(name: string): number {
    return this.queries.filter((query) => query.name === name.toLowerCase()).length;
  }

  close(): Promise<void> {
    return new Promise((resolveClose) => this.socket.close(() => resolveClose()));
  }

  private answer(query: Buffer, remote: RemoteInfo): void {
    if (query.length < 12 || query.readUInt16BE(4) !== 1) return; // one question only
    const labels: string[] = [];
    let offset = 12;
    while (offset < query.length) {
      const length = query[offset] ?? 0;
      if (length === 0) {
        offset += 1;
        break;
      }
      if (length > 63) return; // no compression in questions
      labels.push(query.subarray(offset + 1, offset + 1 + length).toString('ascii'));
      offset += 1 + length;
    }
    if (offset + 4 > query.length) return;
    const type = query.readUInt16BE(offset);
    const klass = query.readUInt16BE(offset + 2);
    const name = labels.join('.').toLowerCase();
    this.queries.push({ name, type, at: Date.now() });

    const addresses = this.records.get(name);
    // Like Docker's embedded DNS, which shuffles the addresses of a name: each answer
    // starts one address further (DNS round robin).
    const rotation = this.queries.length % Math.max(addresses?.length ?? 1, 1);
    const ordered = addresses ? [...addresses.slice(rotation), ...addresses.slice(0, rotation)] : [];
    const answers = type === TYPE_A && klass === CLASS_IN ? ordered : [];
    const header = Buffer.alloc(12);
    header.writeUInt16BE(query.readUInt16BE(0), 0); // id
    const recursionDesired = query.readUInt16BE(2) & 0x0100;
    // QR (answer), AA (authoritative), RD copied, RA; RCODE 3 (NXDOMAIN) for unknown names.
    header.writeUInt16BE(0x8000 | 0x0400 | recursionDesired | 0x0080 | (addresses ? 0 : 3), 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    const question = query.subarray(12, offset + 4);
    const records = answers.map((address) => {
      const record = Buffer.alloc(16);
      record.writeUInt16BE(0xc00c, 0); // pointer to the question's name
      record.writeUInt16BE(TYPE_A, 2);
      record.writeUInt16BE(CLASS_IN, 4);
      record.writeUInt32BE(this.ttlSeconds, 6);
      record.writeUInt16BE(4, 10);
      address.split('.').forEach((octet, index) => record.writeUInt8(Number(octet), 12 + index));
      return record;
    });
    this.socket.send(Buffer.concat([header, question, ...records]), remote.port, remote.address);
  }
}
