import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecrets, REPO_ROOT, run, tempDir, tool } from './support/tools';

/**
 * The two compose files, validated by the tools that will run them: Compose v2
 * (`docker compose config`, with variables and secrets resolved), the docker CLI's
 * Swarm loader (`docker stack config`) for the production file, and the apps' own
 * configuration loader on the environment and secrets each app container gets.
 * No engine is used: without a registry nothing could be pulled, and a dry run would
 * still look the images up in their registries.
 */

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; target?: string };
  command?: string[] | null;
  environment?: Record<string, string | null>;
  secrets?: Array<{ source: string; target?: string }>;
  ports?: Array<{ target: number; published?: string; host_ip?: string; mode?: string }>;
  networks?: Record<string, { aliases?: string[] } | null>;
  depends_on?: Record<string, { condition: string; required?: boolean }>;
  healthcheck?: {
    test?: string[];
    disable?: boolean;
    interval?: string;
    timeout?: string;
    retries?: number;
    start_period?: string;
  };
  tmpfs?: string[];
  deploy?: {
    mode?: string;
    replicas?: number;
    endpoint_mode?: string;
    resources?: {
      limits?: { cpus?: number; memory?: string };
      reservations?: { cpus?: number; memory?: string };
    };
    update_config?: Record<string, unknown>;
    rollback_config?: Record<string, unknown>;
    restart_policy?: { condition?: string };
  };
  read_only?: boolean;
  cap_drop?: string[];
  security_opt?: string[];
  restart?: string;
  volumes?: Array<{ type: string; source?: string; target: string; read_only?: boolean }>;
  configs?: Array<{ source: string; target: string }>;
  container_name?: string;
  user?: string;
  pull_policy?: string;
}

interface ComposeProject {
  name: string;
  services: Record<string, ComposeService>;
  networks: Record<string, { internal?: boolean; name?: string }>;
  secrets?: Record<string, { file: string }>;
  configs?: Record<string, { file: string }>;
  volumes?: Record<string, unknown>;
}

/** The docker CLI's list of service keys `docker stack deploy` ignores (cli/compose/types). */
const SWARM_IGNORED_KEYS = [
  'build',
  'cgroupns_mode',
  'cgroup_parent',
  'devices',
  'domainname',
  'external_links',
  'ipc',
  'links',
  'mac_address',
  'network_mode',
  'pid',
  'privileged',
  'restart',
  'security_opt',
  'shm_size',
  'userns_mode',
];

const APPS_PROD = ['api-prod', 'orchestrator-prod', 'worker-prod'] as const;
const APPS_DEV = ['api-dev', 'orchestrator-dev', 'worker-dev'] as const;

let work: { path: string; remove: () => Promise<void> };
let compose: string;
let secretsDir: string;

async function composeConfig(file: string, env: Record<string, string> = {}): Promise<ComposeProject> {
  const result = await run(compose, ['-f', file, 'config', '--format', 'json'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
  });
  console.info(`[compose] config ${file}: ${result.ms} ms`);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr.trim(), 'no warnings').toBe('');
  return JSON.parse(result.stdout) as ComposeProject;
}

/** The configuration loader of the apps, run on a container's environment and secrets. */
async function validateAppConfig(
  service: ComposeService,
  environment: string,
  name: string,
): Promise<{ code: number | null; output: string }> {
  const dir = join(work.path, `run-secrets-${name}`);
  await mkdir(dir, { recursive: true });
  for (const secret of service.secrets ?? []) {
    // Compose gives the target as /run/secrets/<name>: the loader reads <dir>/<name>.
    await copyFile(join(secretsDir, secret.source), join(dir, basename(secret.target ?? secret.source)));
  }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    XORB_SECRETS_DIR: dir,
  };
  for (const [key, value] of Object.entries(service.environment ?? {})) if (value !== null) env[key] = value;
  const result = await run(
    'bash',
    [join(REPO_ROOT, 'tools/scripts/config-manager.sh'), 'validate', environment],
    {
      env,
    },
  );
  return { code: result.code, output: result.stdout + result.stderr };
}

/** Whether apps/<app>/Dockerfile gives its images a HEALTHCHECK (the compose files rely on it). */
async function imageHealthcheck(app: string): Promise<boolean> {
  const dockerfile = await readFile(join(REPO_ROOT, `apps/${app}/Dockerfile`), 'utf8').catch(() => '');
  return /^HEALTHCHECK\s+(?!NONE)/m.test(dockerfile);
}

/** The exec-form command of apps/<app>/Dockerfile's HEALTHCHECK (CMD ["node", ...]). */
async function imageHealthcheckCommand(app: string): Promise<string[] | undefined> {
  const dockerfile = await readFile(join(REPO_ROOT, `apps/${app}/Dockerfile`), 'utf8').catch(() => '');
  const match = /^HEALTHCHECK\s+(?!NONE)[^\n]*?(?:\\\n[^\n]*?)*CMD\s+(\[[^\n]*\])/m.exec(dockerfile);
  return match?.[1] ? (JSON.parse(match[1]) as string[]) : undefined;
}

/** The temp paths nginx/nginx.conf gives nginx (client_body_temp_path, proxy_temp_path, ...). */
async function nginxTempPaths(): Promise<string[]> {
  const conf = await readFile(join(REPO_ROOT, 'nginx/nginx.conf'), 'utf8');
  return [...conf.matchAll(/^\s*(\w+_temp_path)\s+(\S+);/gm)].map((m) => `${m[1]} ${m[2]}`);
}

beforeAll(async () => {
  compose = await tool('XORB_COMPOSE_BIN');
  work = await tempDir('xorb-compose');
  secretsDir = join(work.path, 'secrets');
  await generateSecrets(secretsDir);
});

afterAll(() => work?.remove());

describe('docker-compose.development.yml', () => {
  let project: ComposeProject;

  beforeAll(async () => {
    const version = await run(compose, ['version', '--short']);
    expect(version.stdout.trim()).toMatch(/^v?2\./);
    project = await composeConfig('docker-compose.development.yml');
  });

  it('has the services of the guide', () => {
    expect(Object.keys(project.services).sort()).toEqual(
      [
        'postgres',
        'redis',
        'temporal',
        'migrate',
        ...APPS_DEV,
        'nginx',
        'prometheus',
        'grafana',
        'cadvisor',
      ].sort(),
    );
    expect(project.services.postgres?.image).toMatch(/^pgvector\/pgvector:/);
    expect(project.services.redis?.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    expect(project.services.temporal?.command?.slice(0, 2)).toEqual(['server', 'start-dev']);
  });

  it('runs the apps from their development targets with sources mounted and debuggers on loopback', () => {
    for (const name of APPS_DEV) {
      const service = project.services[name] as ComposeService;
      const app = name.replace('-dev', '');
      expect(service.build).toMatchObject({ dockerfile: `apps/${app}/Dockerfile`, target: 'development' });
      expect(service.image).toBe(`xorb/${app}:development`);
      // Built here, never pulled: a registry image of the same name must not stand in.
      expect(service).toMatchObject({ pull_policy: 'never' });
      expect(service.volumes?.map((volume) => [volume.target, volume.read_only])).toEqual([
        ['/workspace/apps', true],
        ['/workspace/libs', true],
      ]);
      expect(service.ports?.some((port) => port.target === 9229)).toBe(true);
    }
  });

  it('has a healthcheck on every long-running service, and starts apps only once their dependencies are healthy and migrated', async () => {
    for (const [name, service] of Object.entries(project.services)) {
      if (name === 'migrate') {
        expect(service.healthcheck?.disable).toBe(true);
      } else if ((APPS_DEV as readonly string[]).includes(name)) {
        // The image's own check, with a start period long enough for `tsx watch` to compile.
        const command = await imageHealthcheckCommand(name.replace('-dev', ''));
        expect(command, `${name}: the image has a HEALTHCHECK`).toBeDefined();
        expect(service.healthcheck, `${name} healthcheck`).toMatchObject({
          test: ['CMD', ...(command ?? [])],
          interval: '10s',
          timeout: '5s',
          retries: 3,
          start_period: '3m0s',
        });
      } else {
        expect(service.healthcheck?.test?.length, `${name} healthcheck`).toBeGreaterThan(0);
      }
    }
    for (const name of APPS_DEV) {
      expect(project.services[name]?.depends_on).toMatchObject({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
        temporal: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
      });
    }
    expect(project.services.migrate).toMatchObject({
      image: 'xorb/api:development',
      pull_policy: 'never',
      command: ['npm', 'run', '--silent', 'db:migrate'],
      restart: 'no',
      depends_on: { postgres: { condition: 'service_healthy' } },
    });
  });

  it("gives nginx's temp paths a writable home: /tmp, its one tmpfs (not a root-owned /var/cache/nginx)", async () => {
    const paths = await nginxTempPaths();
    expect(paths).toHaveLength(5);
    for (const path of paths) expect(path).toMatch(/ \/tmp\/nginx_\w+$/);
    expect(project.services.nginx?.read_only).toBe(true);
    expect(project.services.nginx?.user).toBe('101:101');
    expect(project.services.nginx?.tmpfs).toEqual(['/tmp']);
  });

  it('publishes ports on 127.0.0.1 only, and can scale the workers (no fixed host port, no container name)', () => {
    for (const [name, service] of Object.entries(project.services)) {
      for (const port of service.ports ?? [])
        expect(port.host_ip, `${name}:${port.target}`).toBe('127.0.0.1');
      expect(service.container_name, name).toBeUndefined();
    }
    const worker = project.services['worker-dev'] as ComposeService;
    expect(worker.ports).toEqual([expect.objectContaining({ target: 9229, published: '9231-9239' })]);
  });

  it('gives every app replica the network alias nginx and Prometheus look up', () => {
    for (const name of APPS_DEV) {
      expect(project.services[name]?.networks?.default?.aliases).toEqual([name.replace('-dev', '')]);
    }
  });

  it('hands each development app a configuration its loader accepts', async () => {
    for (const name of [...APPS_DEV, 'migrate']) {
      const { code, output } = await validateAppConfig(
        project.services[name] as ComposeService,
        'development',
        name,
      );
      expect(code, `${name}: ${output}`).toBe(0);
    }
  }, 60_000);
});

describe('docker-compose.production.yml', () => {
  let project: ComposeProject;
  let raw: { services: Record<string, Record<string, unknown>> };
  const env = () => ({ XORB_SECRETS_HOST_DIR: secretsDir, XORB_VERSION: '1.2.3' });

  beforeAll(async () => {
    project = await composeConfig('docker-compose.production.yml', env());
    raw = parse(await readFile(join(REPO_ROOT, 'docker-compose.production.yml'), 'utf8')) as typeof raw;
  });

  it('resolves images, secrets and configs to real files', () => {
    for (const app of ['api', 'orchestrator', 'worker']) {
      expect(project.services[`${app}-prod`]?.image).toBe(`xorb/${app}:1.2.3`);
    }
    expect(project.services.migrate).toMatchObject({
      image: 'xorb/api:1.2.3',
      command: ['node', 'migrate.js'],
    });
    for (const [name, secret] of Object.entries(project.secrets ?? {})) {
      expect(secret.file, name).toBe(join(secretsDir, name));
    }
    expect(Object.keys(project.secrets ?? {}).sort()).toEqual(
      [
        'api_key_pepper',
        'grafana_admin_password',
        'jwt_secret',
        'nginx_ops_htpasswd',
        'nginx_tls_certificate',
        'nginx_tls_private_key',
        'postgres_password',
        'redis_password',
      ].sort(),
    );
    for (const [name, config] of Object.entries(project.configs ?? {})) {
      expect(config.file.startsWith(REPO_ROOT), name).toBe(true);
    }
  });

  it('runs 3 api and 4 worker replicas with the guide’s resources, and rolls updates back on failure', () => {
    expect(project.services['api-prod']?.deploy).toMatchObject({
      replicas: 3,
      resources: {
        limits: { cpus: 1, memory: String(1024 ** 3) },
        reservations: { cpus: 0.5, memory: String(512 * 1024 ** 2) },
      },
    });
    expect(project.services['worker-prod']?.deploy?.replicas).toBe(4);
    expect(project.services['orchestrator-prod']?.deploy?.replicas).toBe(1);
    for (const [name, service] of Object.entries(project.services)) {
      if (name === 'migrate') continue;
      expect(service.deploy?.resources?.limits?.memory, `${name} memory limit`).toBeDefined();
      expect(service.deploy?.update_config, name).toMatchObject({
        parallelism: 1,
        failure_action: 'rollback',
      });
      expect(service.deploy?.rollback_config, name).toMatchObject({ parallelism: 1 });
      expect(service.deploy?.restart_policy?.condition, name).toBe('any');
    }
  });

  it('hardens every service: no new privileges, and read-only roots without capabilities where the image allows', async () => {
    const writableRoot = ['temporal', 'temporal-ui']; // they render their config files at start
    const keepsCapabilities = ['cadvisor']; // reads the host's cgroups and Docker's data as root
    for (const [name, service] of Object.entries(project.services)) {
      expect(service.security_opt, name).toContain('no-new-privileges:true');
      if (!writableRoot.includes(name)) expect(service.read_only, `${name} read_only`).toBe(true);
      if (!keepsCapabilities.includes(name)) expect(service.cap_drop, `${name} cap_drop`).toEqual(['ALL']);
      expect(service.container_name, name).toBeUndefined();
      expect(service.build, `${name} is built elsewhere`).toBeUndefined();
    }
    for (const name of [...APPS_PROD, 'migrate', 'nginx', 'redis', 'postgres', 'prometheus', 'grafana']) {
      const tmp = project.services[name]?.volumes?.find((volume) => volume.target === '/tmp');
      expect(tmp?.type, `${name} /tmp`).toBe('tmpfs');
    }
    // nginx (user 101) writes its temp files under /tmp/nginx_* (nginx/nginx.conf): a tmpfs
    // on /var/cache/nginx would be root-owned 0755, and nginx would crash-loop on mkdir().
    const nginxVolumes = project.services.nginx?.volumes ?? [];
    expect(nginxVolumes.map((volume) => volume.target)).not.toContain('/var/cache/nginx');
    for (const path of await nginxTempPaths()) expect(path).toMatch(/ \/tmp\/nginx_\w+$/);
  });

  it('segments the networks: only nginx publishes ports; postgres, redis and temporal sit on internal networks', () => {
    expect(project.networks.data?.internal).toBe(true);
    expect(project.networks.monitoring?.internal).toBe(true);
    expect(project.networks.edge?.internal).toBeFalsy();
    const publishing = Object.entries(project.services)
      .filter(([, service]) => (service.ports ?? []).length > 0)
      .map(([name]) => name);
    expect(publishing).toEqual(['nginx']);
    expect(project.services.nginx?.ports?.map((port) => [port.target, port.published, port.mode])).toEqual([
      [8080, '80', 'host'],
      [8443, '443', 'host'],
      [9443, '9443', 'host'],
    ]);
    const networksOf = (name: string) => Object.keys(project.services[name]?.networks ?? {}).sort();
    expect(networksOf('postgres')).toEqual(['data']);
    expect(networksOf('redis')).toEqual(['data']);
    expect(networksOf('temporal')).toEqual(['data', 'monitoring']);
    expect(networksOf('nginx')).toEqual(['edge', 'monitoring']);
    expect(networksOf('api-prod')).toEqual(['data', 'edge', 'monitoring']);
    for (const name of ['orchestrator-prod', 'worker-prod']) {
      expect(networksOf(name)).toEqual(['data', 'egress', 'monitoring']);
    }
    for (const name of ['prometheus', 'grafana', 'cadvisor'])
      expect(networksOf(name)).toEqual(['monitoring']);
  });

  it('lists every replica in DNS (dnsrr) under the aliases nginx and Prometheus look up', () => {
    expect(project.services['api-prod']?.networks?.edge?.aliases).toEqual(['api']);
    expect(project.services['api-prod']?.networks?.monitoring?.aliases).toEqual(['api']);
    expect(project.services['orchestrator-prod']?.networks?.monitoring?.aliases).toEqual(['orchestrator']);
    expect(project.services['worker-prod']?.networks?.monitoring?.aliases).toEqual(['worker']);
    for (const name of [...APPS_PROD, 'cadvisor'])
      expect(project.services[name]?.deploy?.endpoint_mode).toBe('dnsrr');
  });

  it('has healthchecks on the long-running services', async () => {
    const without = Object.entries(project.services)
      .filter(([, service]) => !service.healthcheck?.test?.length)
      .map(([name]) => name);
    // The apps keep their images' HEALTHCHECK; migrate exits when done (disabled); the
    // Temporal UI image carries no HTTP client.
    expect(without.sort()).toEqual([...APPS_PROD, 'migrate', 'temporal-ui'].sort());
    expect(project.services.migrate?.healthcheck?.disable).toBe(true);
    for (const name of APPS_PROD) {
      expect(project.services[name]?.healthcheck, name).toBeUndefined();
      expect(await imageHealthcheck(name.replace('-prod', ''))).toBe(true);
    }
  });

  it('deploys on Swarm: `docker stack config` accepts it without warnings', async () => {
    const docker = await tool('XORB_DOCKER_CLI_BIN');
    const result = await run(docker, ['stack', 'config', '-c', 'docker-compose.production.yml'], {
      env: { PATH: process.env.PATH ?? '', HOME: work.path, ...env() },
    });
    console.info(`[compose] docker stack config: ${result.ms} ms`);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.trim()).toBe('');
    const stack = parse(result.stdout) as { services: Record<string, { deploy?: { replicas?: number } }> };
    expect(Object.keys(stack.services).sort()).toEqual(Object.keys(project.services).sort());
    expect(stack.services['api-prod']?.deploy?.replicas).toBe(3);
  });

  it('uses keys Swarm ignores only next to their Swarm counterparts', () => {
    for (const [name, service] of Object.entries(raw.services)) {
      const ignored = SWARM_IGNORED_KEYS.filter((key) => key in service);
      // restart -> deploy.restart_policy; security_opt (no-new-privileges) is compose-only.
      expect(
        ignored.filter((key) => !['restart', 'security_opt'].includes(key)),
        name,
      ).toEqual([]);
      if ('restart' in service) {
        expect(
          (service.deploy as Record<string, unknown>)?.restart_policy,
          `${name}: restart_policy`,
        ).toBeDefined();
      }
      // Swarm drops the short `tmpfs:` key without a word: scratch space must be a tmpfs volume.
      expect('tmpfs' in service, `${name} uses tmpfs:`).toBe(false);
      // Swarm's loader refuses depends_on conditions.
      if ('depends_on' in service) expect(Array.isArray(service.depends_on), `${name} depends_on`).toBe(true);
    }
  });

  it('hands each production app container a configuration its loader accepts', async () => {
    for (const name of [...APPS_PROD, 'migrate']) {
      const { code, output } = await validateAppConfig(
        project.services[name] as ComposeService,
        'production',
        name,
      );
      expect(code, `${name}: ${output}`).toBe(0);
    }
  }, 60_000);

  it('is refused by the loader when a required secret is missing (the check above can fail)', async () => {
    const service = project.services['worker-prod'] as ComposeService;
    const withoutJwt = {
      ...service,
      secrets: service.secrets?.filter((secret) => secret.source !== 'jwt_secret'),
    };
    const { code, output } = await validateAppConfig(withoutJwt, 'production', 'worker-without-jwt');
    expect(code).not.toBe(0);
    expect(output).toContain('jwt_secret');
  }, 30_000);
});
