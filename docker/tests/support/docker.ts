import { execFile, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type Dockerode from 'dockerode';
import { getContainerRuntimeClient } from 'testcontainers';
import { DOCKER_CLI, RUN_LABEL, runId } from './constants';

let client: Promise<Dockerode> | undefined;

/** The engine at DOCKER_HOST (XORB_TEST_DOCKER_HOST), through testcontainers' dockerode. */
export function docker(): Promise<Dockerode> {
  client ??= getContainerRuntimeClient().then((runtime) => runtime.container.dockerode);
  return client;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the docker CLI (BuildKit builds, save). Never throws on a non-zero exit. */
export function dockerCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {},
): Promise<CliResult> {
  return runCommand(DOCKER_CLI, args, options);
}

export function runCommand(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string; cwd?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      {
        env: { ...process.env, DOCKER_BUILDKIT: '1', ...options.env },
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 15 * 60_000,
        maxBuffer: 256 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Streams `docker save <image>` into `tar -x -C <dir>`. */
export async function saveImage(image: string, directory: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const save = spawn(DOCKER_CLI, ['save', image], { stdio: ['ignore', 'pipe', 'pipe'] });
    const untar = spawn('tar', ['-x', '-C', directory], { stdio: ['pipe', 'ignore', 'pipe'] });
    let errors = '';
    save.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    untar.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    save.stdout.pipe(untar.stdin);
    untar.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`docker save ${image} | tar -x failed: ${errors}`)),
    );
  });
}

export interface RunOptions {
  image: string;
  cmd?: string[];
  entrypoint?: string[];
  env?: Record<string, string>;
  user?: string;
  /** host: shares the host's loopback (the test services); none: no network at all. */
  network?: 'host' | 'none' | 'bridge';
  /** Ports published on 127.0.0.1 only (bridge network): container port → host port. */
  publish?: Record<number, number>;
  /** The acceptance's hardening: --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges. */
  hardened?: boolean;
  readOnly?: boolean;
  tmpfs?: Record<string, string>;
  capDrop?: string[];
  securityOpt?: string[];
  binds?: string[];
  /** Overrides the image's HEALTHCHECK timing (nanoseconds are handled here). */
  healthIntervalMs?: number;
  stopTimeoutSeconds?: number;
}

function hostConfig(options: RunOptions): Dockerode.HostConfig {
  const hardened = options.hardened ?? false;
  const portBindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const [containerPort, hostPort] of Object.entries(options.publish ?? {})) {
    portBindings[`${containerPort}/tcp`] = [{ HostIp: '127.0.0.1', HostPort: String(hostPort) }];
  }
  return {
    NetworkMode: options.network ?? 'none',
    PortBindings: portBindings,
    ReadonlyRootfs: options.readOnly ?? hardened,
    Tmpfs: options.tmpfs ?? (hardened ? { '/tmp': 'rw,noexec,nosuid,size=64m' } : undefined),
    CapDrop: options.capDrop ?? (hardened ? ['ALL'] : undefined),
    SecurityOpt: options.securityOpt ?? (hardened ? ['no-new-privileges'] : undefined),
    Binds: options.binds,
    Init: false,
  };
}

/** A container this suite created; removed by removeContainers() (afterAll). */
export class TestContainer {
  constructor(
    readonly container: Dockerode.Container,
    readonly startedAt: number,
  ) {}

  get id(): string {
    return this.container.id;
  }

  inspect(): Promise<Dockerode.ContainerInspectInfo> {
    return this.container.inspect();
  }

  async logs(): Promise<{ stdout: string; stderr: string }> {
    const buffer = (await this.container.logs({ stdout: true, stderr: true, follow: false })) as Buffer;
    return demux(buffer);
  }

  /** JSON log lines of stdout (non-JSON lines are skipped). */
  async jsonLogs(): Promise<Array<Record<string, unknown>>> {
    const { stdout } = await this.logs();
    return stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
  }

  async waitForLog(message: string, timeoutMs = 60_000): Promise<Record<string, unknown>> {
    return this.waitForLine((line) => line.message === message, `a "${message}" log line`, timeoutMs);
  }

  /** Waits for a JSON log line the predicate accepts, and returns it. */
  async waitForLine(
    accepts: (line: Record<string, unknown>) => boolean,
    description: string,
    timeoutMs = 60_000,
  ): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = (await this.jsonLogs()).find(accepts);
      if (found) return found;
      await this.failIfExited(`logging ${description}`);
      await sleep(150);
    }
    throw new Error(`no ${description} within ${timeoutMs} ms\n${await this.describe()}`);
  }

  /** Waits until Docker reports the HEALTHCHECK healthy; returns ms since start. */
  async waitHealthy(timeoutMs = 60_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const state = (await this.inspect()).State;
      if (state.Health?.Status === 'healthy') return Date.now() - this.startedAt;
      await this.failIfExited('becoming healthy');
      await sleep(100);
    }
    throw new Error(`not healthy within ${timeoutMs} ms\n${await this.describe()}`);
  }

  async waitExit(timeoutMs = 60_000): Promise<number> {
    const result = await Promise.race([
      this.container.wait() as Promise<{ StatusCode: number }>,
      sleep(timeoutMs).then(() => undefined),
    ]);
    if (!result) throw new Error(`did not exit within ${timeoutMs} ms\n${await this.describe()}`);
    return result.StatusCode;
  }

  /** `docker stop -t <seconds>`; returns the exit code and how long the stop took. */
  async stop(timeoutSeconds = 10): Promise<{ exitCode: number; durationMs: number }> {
    const started = Date.now();
    await this.container.stop({ t: timeoutSeconds }).catch((error: { statusCode?: number }) => {
      if (error.statusCode !== 304) throw error; // 304: already stopped
    });
    const durationMs = Date.now() - started;
    return { exitCode: (await this.inspect()).State.ExitCode, durationMs };
  }

  /** docker exec; returns the exit code and output. */
  async exec(cmd: string[], user?: string): Promise<{ code: number; stdout: string; stderr: string }> {
    const exec = await this.container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, User: user });
    const stream = await exec.start({ hijack: true, stdin: false });
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => resolve());
      stream.on('error', reject);
    });
    const { stdout, stderr } = demux(Buffer.concat(chunks));
    const info = await exec.inspect();
    return { code: info.ExitCode ?? -1, stdout, stderr };
  }

  async describe(): Promise<string> {
    const info = await this.inspect().catch(() => undefined);
    const { stdout, stderr } = await this.logs().catch(() => ({ stdout: '', stderr: '' }));
    const health = info?.State.Health?.Log?.slice(-2)
      .map((entry) => `exit ${entry.ExitCode}: ${entry.Output.trim()}`)
      .join(' | ');
    return [
      `container ${this.id.slice(0, 12)} (${info?.Config.Image}): ${info?.State.Status}, exit ${info?.State.ExitCode}`,
      health ? `health: ${health}` : '',
      `--- stdout (tail)\n${stdout.split('\n').slice(-25).join('\n')}`,
      `--- stderr (tail)\n${stderr.split('\n').slice(-15).join('\n')}`,
    ]
      .filter(Boolean)
      .join('\n');
  }

  private async failIfExited(what: string): Promise<void> {
    const state = (await this.inspect()).State;
    if (!state.Running) {
      throw new Error(`exited (code ${state.ExitCode}) before ${what}\n${await this.describe()}`);
    }
  }
}

const created = new Set<Dockerode.Container>();

export async function startContainer(options: RunOptions): Promise<TestContainer> {
  const engine = await docker();
  const exposed: Record<string, object> = {};
  for (const port of Object.keys(options.publish ?? {})) exposed[`${port}/tcp`] = {};
  const interval = options.healthIntervalMs;
  const container = await engine.createContainer({
    Image: options.image,
    Cmd: options.cmd,
    Entrypoint: options.entrypoint,
    Env: Object.entries(options.env ?? {}).map(([key, value]) => `${key}=${value}`),
    User: options.user,
    ExposedPorts: exposed,
    Labels: { [RUN_LABEL]: runId() },
    StopTimeout: options.stopTimeoutSeconds,
    Healthcheck: interval
      ? { Interval: interval * 1e6, Timeout: 5e9, Retries: 3, StartPeriod: 30e9 }
      : undefined,
    HostConfig: hostConfig(options),
  });
  created.add(container);
  const startedAt = Date.now();
  await container.start();
  return new TestContainer(container, startedAt);
}

/** Runs a command to completion in a fresh container (no network unless asked). */
export async function runOnce(
  options: RunOptions & { timeoutMs?: number },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const container = await startContainer(options);
  const code = await container.waitExit(options.timeoutMs ?? 60_000);
  const { stdout, stderr } = await container.logs();
  await container.container.remove({ force: true }).catch(() => undefined);
  created.delete(container.container);
  return { code, stdout, stderr };
}

export async function removeContainers(): Promise<void> {
  await Promise.all(
    [...created].map((container) => container.remove({ force: true, v: true }).catch(() => undefined)),
  );
  created.clear();
}

/** Removes every container of this run (global teardown; also catches crashed workers' ones). */
export async function removeRunContainers(): Promise<number> {
  const engine = await docker();
  const leftovers = await engine.listContainers({
    all: true,
    filters: { label: [`${RUN_LABEL}=${runId()}`] },
  });
  await Promise.all(
    leftovers.map((info) =>
      engine
        .getContainer(info.Id)
        .remove({ force: true, v: true })
        .catch(() => undefined),
    ),
  );
  return leftovers.length;
}

/** Splits Docker's multiplexed log/exec stream (8-byte frame headers) into stdout and stderr. */
export function demux(buffer: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const stream = buffer[offset];
    const size = buffer.readUInt32BE(offset + 4);
    const frame = buffer.subarray(offset + 8, offset + 8 + size);
    if (stream === 2) err.push(frame);
    else out.push(frame);
    offset += 8 + size;
  }
  if (offset === 0 && buffer.length > 0 && buffer[0] !== 1 && buffer[0] !== 2) {
    return { stdout: buffer.toString('utf8'), stderr: '' }; // TTY: not multiplexed
  }
  return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

export async function imageInfo(image: string): Promise<Dockerode.ImageInspectInfo> {
  return (await docker()).getImage(image).inspect();
}

export async function imageExists(image: string): Promise<boolean> {
  return imageInfo(image).then(
    () => true,
    () => false,
  );
}
