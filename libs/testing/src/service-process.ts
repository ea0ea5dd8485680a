import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const WORKSPACE_ROOT = resolve(__dirname, '../../..');

export type XorbApp = 'api' | 'orchestrator' | 'worker';

export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Milliseconds from the stop signal to the exit. */
  afterMs: number;
}

/**
 * One XORB app running as a real process from its sources, as `npm run dev`
 * runs it. Its JSON log lines are collected for assertions.
 */
export class ServiceProcess {
  readonly lines: string[] = [];
  readonly stderr: string[] = [];
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly app: XorbApp,
    private readonly child: ChildProcess,
  ) {
    let buffer = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      this.lines.push(...parts.filter(Boolean));
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.stderr.push(chunk));
    this.exited = new Promise((resolveExit) =>
      child.once('exit', (code, signal) => resolveExit({ code, signal })),
    );
  }

  static start(app: XorbApp, env: Record<string, string>): ServiceProcess {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', resolve(WORKSPACE_ROOT, `apps/${app}/src/main.ts`)],
      {
        cwd: WORKSPACE_ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return new ServiceProcess(app, child);
  }

  /** Parsed JSON log lines (non-JSON output is a failure of the log contract, so it throws). */
  logs(): Array<Record<string, unknown>> {
    return this.lines.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`${this.app} wrote a line that is not JSON: ${line}`);
      }
    });
  }

  /** Waits for a log line whose message matches, or for which the predicate holds. */
  async waitForLog(
    wanted: string | RegExp | ((line: Record<string, unknown>) => boolean),
    timeoutMs = 60_000,
  ): Promise<Record<string, unknown>> {
    const matches =
      typeof wanted === 'function'
        ? wanted
        : (line: Record<string, unknown>) =>
            typeof wanted === 'string' ? line.message === wanted : wanted.test(String(line.message));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.logs().find(matches);
      if (found) return found;
      if (this.child.exitCode !== null) break;
      await sleep(100);
    }
    throw new Error(
      `${this.app} did not log "${String(wanted)}" in time.\nstdout:\n${this.lines.join('\n')}\nstderr:\n${this.stderr.join('')}`,
    );
  }

  async waitForExit(timeoutMs = 30_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const timeout = sleep(timeoutMs).then(() => {
      throw new Error(`${this.app} did not exit within ${timeoutMs} ms`);
    });
    return Promise.race([this.exited, timeout]);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000): Promise<ServiceExit> {
    const started = Date.now();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    const exit = await this.waitForExit(timeoutMs);
    return { ...exit, afterMs: Date.now() - started };
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

/** Polls a URL until it answers with the wanted status. */
export async function waitForHttp(url: string, status = 200, timeoutMs = 60_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
      if (response.status === status) return response;
      last = `HTTP ${response.status}: ${await response.text()}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(200);
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})`);
}
