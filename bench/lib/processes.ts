import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ServiceProcess, WORKSPACE_ROOT, type XorbApp } from '../../libs/testing/src/service-process';

/** Everything the bench started, so an interrupted run still stops what it started (and nothing else). */
const started = new Set<{ kill(): void }>();

export function killStarted(): void {
  for (const process of started) process.kill();
  started.clear();
}

/** An XORB app from source, as a real process (libs/testing), registered for clean-up. */
export function startApp(app: XorbApp, env: Record<string, string>): ServiceProcess {
  const process = ServiceProcess.start(app, env);
  started.add(process);
  return process;
}

/** The app's process id (ServiceProcess keeps its child private; the bench only reads /proc with it). */
export function appPid(process: ServiceProcess): number {
  const pid = (process as unknown as { child: ChildProcess }).child.pid;
  if (pid === undefined) throw new Error(`${process.app} has no process id (it did not start)`);
  return pid;
}

export async function stopApp(process: ServiceProcess): Promise<void> {
  try {
    await process.stop('SIGTERM', 20_000);
  } catch {
    process.kill();
  } finally {
    started.delete(process);
  }
}

/**
 * A bench script (bench/baselines/*.ts) run with tsx in its own process. Scripts
 * print one JSON object per line; `waitFor` finds a line by its `event`.
 */
export class BenchProcess {
  readonly messages: Array<Record<string, unknown>> = [];
  readonly stderr: string[] = [];
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    let buffer = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const line of parts) {
        if (!line.trim()) continue;
        try {
          this.messages.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          this.stderr.push(`${line}\n`);
        }
      }
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.stderr.push(chunk));
    this.exited = new Promise((done) => child.once('exit', (code) => done(code)));
  }

  static start(script: string, env: Record<string, string>, nodeArgs: string[] = []): BenchProcess {
    const child = spawn(
      process.execPath,
      [...nodeArgs, '--import', 'tsx', resolve(WORKSPACE_ROOT, 'bench/baselines', script)],
      {
        cwd: WORKSPACE_ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const handle = new BenchProcess(script, child);
    started.add(handle);
    return handle;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.name} has no process id (it did not start)`);
    return this.child.pid;
  }

  async waitFor(event: string, timeoutMs = 60_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.messages.find((message) => message.event === event);
      if (found) return found;
      if (this.child.exitCode !== null) break;
      await sleep(50);
    }
    throw new Error(
      `${this.name} did not report "${event}" within ${timeoutMs} ms; stderr:\n${this.stderr.join('').slice(-4000)}`,
    );
  }

  async stop(timeoutMs = 20_000): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const timeout = sleep(timeoutMs).then(() => 'timeout' as const);
    if ((await Promise.race([this.exited, timeout])) === 'timeout') this.kill();
    started.delete(this);
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
