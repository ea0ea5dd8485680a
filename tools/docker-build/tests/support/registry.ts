import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT, run, tempDir } from './script';

/** A loopback TCP port nothing listens on (for "registry not reachable"). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('could not allocate a port');
  return address.port;
}

/**
 * A real image registry (CNCF Distribution, built by tools/docker-build/install-registry.sh)
 * on 127.0.0.1 with its storage in a temporary directory. The engine pushes to 127.0.0.0/8
 * over plain HTTP without configuration (loopback registries are insecure by default).
 */
export class LocalRegistry {
  private constructor(
    readonly address: string,
    private readonly child: ChildProcess,
    private readonly output: string[],
    private readonly remove: () => Promise<void>,
  ) {}

  static async start(): Promise<LocalRegistry> {
    const install = await run('bash', [join(REPO_ROOT, 'tools/docker-build/install-registry.sh')], {
      timeoutMs: 15 * 60_000,
    });
    if (install.code !== 0) throw new Error(`install-registry.sh failed:\n${install.stderr}`);
    const binary = install.stdout.trim().split('\n').pop() as string;
    const dir = await tempDir('xorb-dbt-registry');
    const port = await freePort();
    const config = join(dir.path, 'config.yml');
    await writeFile(
      config,
      [
        'version: 0.1',
        'log:',
        '  level: warn',
        '  accesslog:',
        '    disabled: true',
        'storage:',
        '  filesystem:',
        `    rootdirectory: ${join(dir.path, 'data')}`,
        'http:',
        `  addr: 127.0.0.1:${port}`,
        `  secret: ${Math.random().toString(36).slice(2)}`,
        '',
      ].join('\n'),
    );
    const child = spawn(binary, ['serve', config], {
      env: { ...process.env, OTEL_TRACES_EXPORTER: 'none' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
    const registry = new LocalRegistry(`127.0.0.1:${port}`, child, output, dir.remove);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(`http://${registry.address}/v2/`)).status === 200) return registry;
      } catch {
        // not listening yet
      }
      if (child.exitCode !== null) break;
      await sleep(100);
    }
    await registry.stop();
    throw new Error(`the registry did not start:\n${output.join('')}`);
  }

  /** GET on the registry's API, parsed as JSON. */
  async api<T>(path: string): Promise<T> {
    const response = await fetch(`http://${this.address}${path}`);
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await Promise.race([exited, sleep(5_000)]);
      if (this.child.exitCode === null) this.child.kill('SIGKILL');
    }
    await this.remove();
  }
}
