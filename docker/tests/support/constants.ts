import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../../..');

export const APPS = ['api', 'orchestrator', 'worker'] as const;
export type App = (typeof APPS)[number];

export const TARGETS = ['development', 'production', 'testing'] as const;
export type Target = (typeof TARGETS)[number];

/** The config-manager variables and defaults of each app's HTTP port and bind address. */
export const APP_PORT = { api: 8000, orchestrator: 8001, worker: 8002 } as const satisfies Record<
  App,
  number
>;
export const PORT_VARIABLE = {
  api: 'API_PORT',
  orchestrator: 'ORCHESTRATOR_PORT',
  worker: 'WORKER_PORT',
} as const satisfies Record<App, string>;
export const HOST_VARIABLE = {
  api: 'API_HOST',
  orchestrator: 'ORCHESTRATOR_HOST',
  worker: 'WORKER_HOST',
} as const satisfies Record<App, string>;

export function imageName(app: App, target: Target): string {
  return `${process.env.XORB_IMAGE_PREFIX ?? 'xorb'}/${app}:${target}`;
}

/** Debian's docker client: BuildKit built in (the 28.x client here has no buildx). */
export const DOCKER_CLI =
  process.env.XORB_DOCKER ?? (existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker');

export const NODE_VERSION = readFileSync(resolve(REPO_ROOT, '.nvmrc'), 'utf8').trim().replace(/^v/, '');

/** docker/base.env with {node} filled in: the base image every Dockerfile builds FROM. */
export function baseImage(): string {
  const env = readFileSync(resolve(REPO_ROOT, 'docker/base.env'), 'utf8');
  const template = /^XORB_BASE_IMAGE=(.+)$/m.exec(env)?.[1]?.trim();
  if (!template) throw new Error('docker/base.env does not set XORB_BASE_IMAGE');
  return template.replaceAll('{node}', NODE_VERSION);
}

/** Label put on every container the suite creates, with the run id, for clean-up. */
export const RUN_LABEL = 'io.xorb.container-tests.run';
export function runId(): string {
  return process.env.XORB_CONTAINER_TESTS_RUN ?? `adhoc-${process.pid}`;
}

/**
 * Size budgets in MB (decimal, as `docker images` shows them). The guide's figures are
 * API ~400MB, orchestrator ~350MB, worker ~300MB (1.05GB in total). Ours must stay far
 * below: the budgets cap the whole image and, tighter, what the app adds on top of the
 * Node base image (its dependencies and code).
 */
export const GUIDE_SIZE_MB = { api: 400, orchestrator: 350, worker: 300 } as const satisfies Record<
  App,
  number
>;
export const SIZE_BUDGET_MB = { api: 300, orchestrator: 330, worker: 270 } as const satisfies Record<
  App,
  number
>;
export const APP_LAYERS_BUDGET_MB = { api: 60, orchestrator: 120, worker: 40 } as const satisfies Record<
  App,
  number
>;
export const BASE_BUDGET_MB = 260;

/** How long a production container may take from `docker start` to healthy. */
export const HEALTHY_BUDGET_MS = 30_000;
