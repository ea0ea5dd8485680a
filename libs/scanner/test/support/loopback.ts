import { createServer, type Server, type Socket } from 'node:net';

const connections = new WeakMap<Server, Set<Socket>>();

/** Starts listening on an ephemeral loopback port and resolves it; remembers connections for closeServer. */
export async function listenOnLoopback(server: Server, host = '127.0.0.1'): Promise<number> {
  const open = new Set<Socket>();
  connections.set(server, open);
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('server has no address');
  return address.port;
}

/** Stops listening and destroys the connections still open. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    for (const socket of connections.get(server) ?? []) socket.destroy();
  });
}

/** A loopback port nothing listens on (allocated, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listenOnLoopback(server);
  await closeServer(server);
  return port;
}

/** A TCP server that counts and timestamps connections and closes each one at once. */
export class CountingServer {
  readonly server: Server;
  readonly connectedAt: number[] = [];
  port = 0;
  private open = 0;
  maxSimultaneous = 0;
  bytesReceived = 0;

  constructor() {
    this.server = createServer((socket) => {
      this.connectedAt.push(performance.now());
      this.open += 1;
      this.maxSimultaneous = Math.max(this.maxSimultaneous, this.open);
      socket.on('error', () => undefined);
      socket.on('close', () => (this.open -= 1));
      socket.on('data', (chunk: Buffer) => (this.bytesReceived += chunk.length));
    });
  }

  async start(): Promise<this> {
    this.port = await listenOnLoopback(this.server);
    return this;
  }

  get connections(): number {
    return this.connectedAt.length;
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }
}
