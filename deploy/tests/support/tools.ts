import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The repository root (this file is deploy/tests/support/tools.ts). */
export const REPO_ROOT = resolve(__dirname, '../../..');

export type ToolName =
  | 'XORB_NGINX_BIN'
  | 'XORB_PROMETHEUS_BIN'
  | 'XORB_PROMTOOL_BIN'
  | 'XORB_OPENSSL_BIN'
  | 'XORB_COMPOSE_BIN'
  | 'XORB_DOCKER_CLI_BIN';

let toolPaths: Record<string, string> | undefined;

/**
 * Where a validation tool is: the variable itself when set, else what
 * `scripts/install-tools.sh env` reports. Throws with the fix when it is not installed.
 */
export async function tool(name: ToolName): Promise<string> {
  const fromEnv = process.env[name];
  if (fromEnv) return fromEnv;
  if (!toolPaths) {
    const result = await run('bash', [join(REPO_ROOT, 'scripts/install-tools.sh'), 'env']);
    toolPaths = {};
    for (const line of result.stdout.split('\n')) {
      const match = /^export (\w+)=(.*)$/.exec(line.trim());
      if (match?.[1] && match[2] !== undefined) toolPaths[match[1]] = match[2];
    }
  }
  const path = toolPaths[name];
  const check = path ? await run('test', ['-x', path]) : undefined;
  if (!path || check?.code !== 0) {
    throw new Error(`${name} is not installed (${path ?? 'unknown path'}): run scripts/install-tools.sh`);
  }
  return path;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs a command to completion (never throws on a non-zero exit; check `code`).
 * `stdoutFile`: the command's stdout goes to that file (a regular file: tools that
 * open /dev/stdout, like nginx, cannot open the socket Node uses for pipes).
 */
export function run(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; stdoutFile?: string } = {},
): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolveRun) => {
    const out = options.stdoutFile ? openSync(options.stdoutFile, 'a') : 'pipe';
    const child = spawn(command, args, {
      cwd: options.cwd ?? REPO_ROOT,
      env: options.env ?? process.env,
      stdio: ['ignore', out, 'pipe'],
    });
    if (typeof out === 'number') closeSync(out);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolveRun({ code: null, stdout, stderr: `${stderr}${error.message}`, ms: Date.now() - started });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** A temporary directory, removed by the returned cleanup. */
export async function tempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Throwaway secrets for a test, made by the operator's own script (never in the repo). */
export async function generateSecrets(dir: string): Promise<void> {
  const result = await run('bash', [
    join(REPO_ROOT, 'tools/scripts/generate-secrets.sh'),
    '--dir',
    dir,
    '--domain',
    'localhost',
  ]);
  if (result.code !== 0) throw new Error(`generate-secrets.sh failed:\n${result.stderr}`);
}

/** A TCP port that is free on every one of the given loopback addresses. */
export async function freePortOn(addresses: readonly string[]): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    const free = await Promise.all(addresses.map((address) => canListen(address, port)));
    if (free.every(Boolean)) return port;
  }
  throw new Error(`no port is free on all of ${addresses.join(', ')}`);
}

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolveListen) => {
    const server = createServer();
    server.once('error', () => resolveListen(false));
    server.listen(port, host, () => server.close(() => resolveListen(true)));
  });
}

/**
 * A long-running tool (nginx, prometheus). stderr lines are collected; stdout goes to a
 * file when `stdoutFile` is given (see `run`), else its lines are collected too.
 */
export class ToolProcess {
  private readonly stdoutLines: string[] = [];
  readonly stderr: string[] = [];
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    private readonly stdoutFile: string | undefined,
  ) {
    const collect = (into: string[]) => {
      let buffer = '';
      return (chunk: string) => {
        buffer += chunk;
        const parts = buffer.split('\n');
        buffer = parts.pop() ?? '';
        into.push(...parts.filter(Boolean));
      };
    };
    child.stdout?.setEncoding('utf8').on('data', collect(this.stdoutLines));
    child.stderr?.setEncoding('utf8').on('data', collect(this.stderr));
    this.exited = new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  }

  static start(
    name: string,
    command: string,
    args: readonly string[],
    options: { cwd?: string; stdoutFile?: string } = {},
  ): ToolProcess {
    const out = options.stdoutFile ? openSync(options.stdoutFile, 'a') : 'pipe';
    const child = spawn(command, args, { cwd: options.cwd ?? REPO_ROOT, stdio: ['ignore', out, 'pipe'] });
    if (typeof out === 'number') closeSync(out);
    return new ToolProcess(name, child, options.stdoutFile);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get stdout(): string[] {
    if (!this.stdoutFile) return this.stdoutLines;
    return readFileSync(this.stdoutFile, 'utf8').split('\n').filter(Boolean);
  }

  /** stdout lines parsed as JSON (lines that are not JSON are skipped). */
  jsonLines(): Array<Record<string, unknown>> {
    return this.stdout.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  async stop(timeoutMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const done = await Promise.race([this.exited.then(() => true), sleep(timeoutMs).then(() => false)]);
    if (!done) this.child.kill('SIGKILL');
  }

  describe(): string {
    return `${this.name} output:\n${[...this.stdout, ...this.stderr].slice(-40).join('\n')}`;
  }
}

/** Polls until `check` returns a value (not undefined) or the time runs out. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
