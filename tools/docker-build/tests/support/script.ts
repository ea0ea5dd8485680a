import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root (this file is tools/docker-build/tests/support/script.ts). */
export const REPO_ROOT = resolve(__dirname, '../../../..');
export const SCRIPT = join(REPO_ROOT, 'tools/scripts/docker-build.sh');
export const SCRIPT_NAME = 'tools/scripts/docker-build.sh';

/** Debian's docker client (BuildKit built in), as docker/lib.sh picks it. */
export const DOCKER =
  process.env.XORB_DOCKER ?? (existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker');

/** Label on every container and image the suite creates itself, with the run id. */
export const TEST_LABEL = 'io.xorb.docker-build-tests';

/** What the global setup built and shares with every file (vitest `inject`). */
export interface DockerBuildRun {
  runId: string;
  /** XORB_IMAGE_PREFIX of this run: images are <prefix>/<app>:<tag>. */
  imagePrefix: string;
  /** The --version the production images were built with. */
  version: string;
  buildStdout: string;
  buildMs: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    dockerBuild: DockerBuildRun;
  }
}

/** The engine of scripts/services.sh (XORB_TEST_DOCKER_HOST), else DOCKER_HOST. */
export function dockerHost(): string {
  const host = process.env.XORB_TEST_DOCKER_HOST ?? process.env.DOCKER_HOST;
  if (!host) {
    throw new Error(
      'No Docker engine configured: set XORB_TEST_DOCKER_HOST (eval "$(bash scripts/services.sh env)") or DOCKER_HOST',
    );
  }
  return host;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to completion; never throws for a non-zero exit (check `code`). */
export function run(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; input?: string } = {},
): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolveRun) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? REPO_ROOT,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    if (options.input !== undefined) child.stdin?.end(options.input);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
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

/** docker with DOCKER_HOST set to the test engine. */
export function docker(args: readonly string[], timeoutMs = 120_000): Promise<RunResult> {
  return run(DOCKER, args, { env: { ...process.env, DOCKER_HOST: dockerHost() }, timeoutMs });
}

/** docker, failing the test with its stderr when it fails. */
export async function dockerOk(args: readonly string[], timeoutMs = 120_000): Promise<string> {
  const result = await docker(args, timeoutMs);
  if (result.code !== 0)
    throw new Error(`docker ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return result.stdout.trim();
}

export async function imageExists(ref: string): Promise<boolean> {
  return (await docker(['image', 'inspect', ref])).code === 0;
}

/**
 * The environment the script runs with: the test engine, this run's image prefix, a
 * state directory and a stack prefix of the caller's, and nothing else of XORB_* that
 * could change what it does (XORB_REGISTRY, XORB_VERSION, ...).
 */
export function scriptEnv(
  settings: { imagePrefix: string; stateDir: string; stackPrefix?: string },
  extra: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const kept =
      key.startsWith('XORB_TEST_') || key.endsWith('_BIN') || ['XORB_CACHE_DIR', 'XORB_DOCKER'].includes(key);
    if (key.startsWith('XORB_') && !kept) continue;
    if (key.startsWith('XORB_SMOKE_')) continue;
    env[key] = value;
  }
  Object.assign(env, {
    DOCKER_HOST: dockerHost(),
    XORB_IMAGE_PREFIX: settings.imagePrefix,
    XORB_STATE_DIR: settings.stateDir,
    XORB_STACK_PREFIX: settings.stackPrefix ?? `${settings.imagePrefix}-stack`,
  });
  const removed = new Set(Object.keys(extra).filter((key) => extra[key] === undefined));
  return Object.fromEntries(
    Object.entries({ ...env, ...extra }).filter(([key, value]) => value !== undefined && !removed.has(key)),
  );
}

/** Runs tools/scripts/docker-build.sh and logs its timing. */
export async function runScript(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 10 * 60_000,
): Promise<RunResult> {
  const result = await run('bash', [SCRIPT, ...args], { env, timeoutMs });
  console.info(
    `[docker-build.sh ${args.join(' ')}] exit ${result.code} in ${(result.ms / 1000).toFixed(1)} s`,
  );
  return result;
}

/** A temporary directory, removed by the returned cleanup. */
export async function tempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** docker/base.env with {node} from .nvmrc: the image every Dockerfile builds FROM. */
export function baseImage(): string {
  const node = readFileSync(join(REPO_ROOT, '.nvmrc'), 'utf8').trim().replace(/^v/, '');
  const template = /^XORB_BASE_IMAGE=(.+)$/m.exec(
    readFileSync(join(REPO_ROOT, 'docker/base.env'), 'utf8'),
  )?.[1];
  if (!template) throw new Error('docker/base.env does not set XORB_BASE_IMAGE');
  return template.trim().replaceAll('{node}', node);
}

/** The part of the usage text printed for a usage error. */
export const USAGE_LINE = /^Usage: tools\/scripts\/docker-build\.sh /m;
