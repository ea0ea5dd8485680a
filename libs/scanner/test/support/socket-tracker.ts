import { Socket } from 'node:net';
import { vi } from 'vitest';

/**
 * Watches every outgoing connection this process starts (Socket#connect):
 * when it started, and how many were in flight at most. A socket stops being
 * in flight when it is destroyed (synchronous), not at its later 'close' event.
 */
export class SocketTracker {
  readonly startedAt: number[] = [];
  readonly sockets: Socket[] = [];
  maxInFlight = 0;
  private spy: { mockRestore(): void } | undefined;

  install(): this {
    const original = Socket.prototype.connect;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const tracker = this;
    this.spy = vi.spyOn(Socket.prototype, 'connect').mockImplementation(function (
      this: Socket,
      ...args: unknown[]
    ) {
      tracker.startedAt.push(performance.now());
      tracker.sockets.push(this);
      tracker.maxInFlight = Math.max(tracker.maxInFlight, tracker.current);
      return (original as (...a: unknown[]) => Socket).apply(this, args);
    } as typeof original);
    return this;
  }

  get current(): number {
    return this.sockets.filter((socket) => !socket.destroyed).length;
  }

  restore(): void {
    this.spy?.mockRestore();
  }
}
