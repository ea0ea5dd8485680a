import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { closedPort } from './loopback';

export const REDIS_SERVER = '/usr/bin/redis-server';
export const redisServerAvailable = existsSync(REDIS_SERVER);

/** A throwaway redis-server on a loopback port: no persistence, optionally with a password. */
export class RedisServer {
  port = 0;
  private child: ChildProcess | undefined;

  async start(options: { password?: string } = {}): Promise<this> {
    this.port = await closedPort();
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    if (options.password) args.push('--requirepass', options.password);
    const child = spawn(REDIS_SERVER, args, { stdio: 'ignore' });
    this.child = child;
    // Never outlive the test process, even when a hook times out before stop().
    const killOnExit = (): void => void child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    await this.waitUntilListening();
    return this;
  }

  private async waitUntilListening(): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const listening = await new Promise<boolean>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port: this.port });
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
      if (listening) return;
      if (this.child?.exitCode !== null) throw new Error('redis-server exited on start');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('redis-server did not start listening');
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}
