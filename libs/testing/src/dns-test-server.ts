import { createSocket, type Socket } from 'node:dgram';

const TYPE_TXT = 16;

/**
 * A tiny authoritative DNS server on 127.0.0.1 that answers TXT questions from
 * a table (and NXDOMAIN otherwise): the stand-in for a customer's DNS in tests.
 */
export class DnsTestServer {
  private socket: Socket | undefined;
  private readonly records = new Map<string, string[]>();
  port = 0;

  setTxt(name: string, values: string[]): void {
    this.records.set(name.toLowerCase().replace(/\.$/, ''), values);
  }

  async start(): Promise<this> {
    const socket = createSocket('udp4');
    socket.on('message', (message, remote) => {
      const answer = this.answer(message);
      if (answer) socket.send(answer, remote.port, remote.address);
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    this.socket = socket;
    this.port = socket.address().port;
    return this;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.socket ? this.socket.close(() => resolve()) : resolve()));
  }

  private answer(query: Buffer): Buffer | undefined {
    if (query.length < 12) return undefined;
    const labels: string[] = [];
    let offset = 12;
    while (offset < query.length && query[offset] !== 0) {
      const length = query[offset] as number;
      labels.push(query.subarray(offset + 1, offset + 1 + length).toString('ascii'));
      offset += length + 1;
    }
    const questionEnd = offset + 5;
    const type = query.readUInt16BE(offset + 1);
    const name = labels.join('.').toLowerCase();
    const values = type === TYPE_TXT ? this.records.get(name) : undefined;
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2);
    const rcode = this.records.has(name) ? 0 : 3;
    header.writeUInt16BE(0x8400 | 0x0100 | rcode, 2); // response, authoritative, recursion desired echoed
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(values?.length ?? 0, 6);
    const answers = (values ?? []).map((value) => {
      const text = Buffer.from(value, 'utf8');
      const record = Buffer.alloc(12);
      record.writeUInt16BE(0xc00c, 0); // pointer to the question name
      record.writeUInt16BE(TYPE_TXT, 2);
      record.writeUInt16BE(1, 4);
      record.writeUInt32BE(60, 6);
      record.writeUInt16BE(text.length + 1, 10);
      return Buffer.concat([record, Buffer.from([text.length]), text]);
    });
    return Buffer.concat([header, query.subarray(12, questionEnd), ...answers]);
  }
}
