import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';

/**
 * Loopback ports whose SYNs go unanswered, so a connect to them hangs until
 * the client gives up: the only way to exercise connect time-outs on
 * loopback without touching the host's firewall.
 *
 * How: a child process listens with backlog 1, then is stopped (SIGSTOP) so it
 * never accepts; we fill each accept queue with connections of our own. Linux
 * drops SYNs to a listener whose accept queue is full, and the client keeps
 * retransmitting, silently, until its timeout.
 */
export class BlackholePorts {
  ports: number[] = [];
  private child: ChildProcess | undefined;
  private readonly fillers: Socket[] = [];

  async start(count: number): Promise<this> {
    const program = `
      const net = require('node:net');
      const ports = [];
      let pending = ${count};
      for (let i = 0; i < ${count}; i += 1) {
        const server = net.createServer();
        server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
          ports.push(server.address().port);
          if (--pending === 0) process.stdout.write(JSON.stringify(ports) + '\\n');
        });
      }`;
    const child = spawn(process.execPath, ['-e', program], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.child = child;
    // A stopped child would otherwise outlive a test process that dies before stop().
    const killOnExit = (): void => void child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    this.ports = await new Promise<number[]>((resolve, reject) => {
      let text = '';
      child.once('error', reject);
      child.stdout?.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) resolve(JSON.parse(text) as number[]);
      });
    });
    process.kill(child.pid as number, 'SIGSTOP');
    await Promise.all(this.ports.map((port) => this.fill(port)));
    return this;
  }

  /** Connects until one connection no longer completes: the accept queue is full. */
  private async fill(port: number): Promise<void> {
    for (let attempt = 0; attempt < 16; attempt += 1) {
      const socket = connect({ host: '127.0.0.1', port });
      socket.on('error', () => undefined);
      this.fillers.push(socket);
      const connected = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 250);
        socket.once('connect', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      if (!connected) return;
    }
    throw new Error(`could not fill the accept queue of port ${port}`);
  }

  async stop(): Promise<void> {
    for (const socket of this.fillers) socket.destroy();
    const child = this.child;
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(child.pid, 'SIGKILL');
      await exited;
    }
  }
}
