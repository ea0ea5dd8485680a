import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from './support/registry';
import {
  DOCKER,
  docker,
  dockerOk,
  imageExists,
  REPO_ROOT,
  run,
  runScript,
  scriptEnv,
  tempDir,
  TEST_LABEL,
  USAGE_LINE,
} from './support/script';

/**
 * deploy, test, logs and clean against a running stack on the real engine.
 *
 * The full production stack cannot run here: its third-party images (pgvector, redis,
 * temporalio/auto-setup, nginx, prometheus, grafana, cadvisor) cannot be pulled without
 * a registry. So `deploy --file` runs a MINIMAL stack instead: the three production images
 * built by the global setup, hardened as in docker-compose.production.yml (read-only root,
 * no capabilities, no-new-privileges, Docker secrets, the images' own HEALTHCHECK), with
 * network_mode host and every port bound to 127.0.0.1, against the loopback PostgreSQL,
 * Redis and Temporal of scripts/services.sh (own database role, task queue and Redis
 * prefix), and a one-shot `migrate` service like the production file's. There is no nginx:
 * `test --url` points at the API directly. The scan target is a container this test starts
 * on the default bridge, allow-listed by its /32 (production refuses loopback targets).
 * The real production file is deployed only as far as its checks (secrets, images).
 */

const strong = (length = 40): string => randomBytes(length).toString('base64url').slice(0, length);

function services(): { pgAdminUrl: string; redisUrl: string; temporalAddress: string } {
  const names = ['XORB_TEST_PG_ADMIN_URL', 'XORB_TEST_REDIS_URL', 'XORB_TEST_TEMPORAL_ADDRESS'];
  const missing = names.filter((name) => !process.env[name]);
  if (missing.length > 0) {
    throw new Error(`${missing.join(', ')} unset: run 'eval "$(bash scripts/services.sh env)"' first`);
  }
  return {
    pgAdminUrl: process.env.XORB_TEST_PG_ADMIN_URL as string,
    redisUrl: process.env.XORB_TEST_REDIS_URL as string,
    temporalAddress: process.env.XORB_TEST_TEMPORAL_ADDRESS as string,
  };
}

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function post(
  url: string,
  body: unknown,
  token?: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('docker-build.sh: a running stack (deploy, test, logs, clean)', () => {
  const { imagePrefix, version, runId } = inject('dockerBuild');
  const scope = `dbt${runId}`;
  const stackPrefix = `xorb-dbt-${runId}`;
  const project = `${stackPrefix}-staging`;
  const role = `xorb_dbt_${runId}`;
  const adminPassword = strong(24);
  let work: { path: string; remove: () => Promise<void> };
  let env: NodeJS.ProcessEnv;
  let composeFile: string;
  let apiUrl: string;
  let targetIp: string;
  let apiKey: string;
  let pgAdminUrl: string;

  beforeAll(async () => {
    const svc = services();
    pgAdminUrl = svc.pgAdminUrl;
    work = await tempDir('xorb-dbt-stack');
    env = scriptEnv({ imagePrefix, stateDir: join(work.path, 'state'), stackPrefix });

    // Database: own role (CREATEROLE: the migrations grant it xorb_app) with a strong password.
    const password = strong(32);
    await admin(pgAdminUrl, async (client) => {
      await client.query(`CREATE ROLE ${role} LOGIN CREATEROLE PASSWORD '${password}'`);
      await client.query(`CREATE DATABASE ${role} OWNER ${role}`);
    });
    const pgUrl = new URL(pgAdminUrl);
    const databaseUrl = `postgres://${role}@${pgUrl.hostname}:${pgUrl.port}/${role}`;
    const withPassword = `postgres://${role}:${password}@${pgUrl.hostname}:${pgUrl.port}/${role}`;
    const tsx = join(REPO_ROOT, 'node_modules/.bin/tsx');
    const hostEnv = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      DATABASE_URL: withPassword,
    };
    const migrate = await run(tsx, [join(REPO_ROOT, 'libs/db/src/cli/migrate.ts')], { env: hostEnv });
    if (migrate.code !== 0) throw new Error(`migrations failed: ${migrate.stdout}${migrate.stderr}`);
    const bootstrap = await run(tsx, [join(REPO_ROOT, 'apps/api/src/cli/bootstrap.ts')], {
      env: {
        ...hostEnv,
        XORB_BOOTSTRAP_TENANT: 'smoke',
        XORB_BOOTSTRAP_ADMIN_EMAIL: 'admin@smoke.test',
        BOOTSTRAP_ADMIN_PASSWORD: adminPassword,
      },
    });
    if (bootstrap.code !== 0) throw new Error(`bootstrap failed: ${bootstrap.stderr}`);

    // Secrets, as files (compose mounts them at /run/secrets/<name>; the apps run as 1000).
    const secrets = join(work.path, 'secrets');
    await mkdir(secrets, { recursive: true });
    await chmod(secrets, 0o755);
    for (const [name, value] of Object.entries({
      postgres_password: password,
      jwt_secret: strong(48),
      api_key_pepper: strong(48),
    })) {
      await writeFile(join(secrets, name), value, { mode: 0o644 });
    }

    // The scan target: a container of this test on the default bridge (HTTP on 8080).
    const target = `xorb-dbt-target-${runId}`;
    await dockerOk([
      'run',
      '-d',
      '--name',
      target,
      '--label',
      `${TEST_LABEL}=${runId}`,
      '--read-only',
      '--cap-drop',
      'ALL',
      '--entrypoint',
      'node',
      `${imagePrefix}/api:${version}`,
      '-e',
      "require('http').createServer((q, s) => s.end('ok')).listen(8080)",
    ]);
    targetIp = await dockerOk([
      'inspect',
      '-f',
      '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}',
      target,
    ]);
    expect(targetIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

    const ports = { api: await freePort(), orchestrator: await freePort(), worker: await freePort() };
    apiUrl = `http://127.0.0.1:${ports.api}`;
    const hasMigrateJs =
      (
        await docker([
          'run',
          '--rm',
          '--entrypoint',
          'test',
          `${imagePrefix}/api:${version}`,
          '-f',
          '/app/migrate.js',
        ])
      ).code === 0;
    const common = [
      `      DATABASE_URL: ${databaseUrl}`,
      `      REDIS_URL: ${svc.redisUrl}`,
      `      TEMPORAL_HOST: ${svc.temporalAddress}`,
      `      TEMPORAL_TASK_QUEUE: ${scope}`,
      `      REDIS_KEY_PREFIX: ${scope}`,
      `      SCAN_ALLOWLIST: ${targetIp}/32`,
      '      LOG_LEVEL: info',
    ];
    const app = (name: string, variable: string, port: number, extra: string[] = []) => [
      `  ${name}-prod:`,
      '    <<: *app',
      `    image: \${XORB_IMAGE_PREFIX}/${name}:\${XORB_VERSION}`,
      '    environment:',
      ...common,
      `      ${variable}_HOST: 127.0.0.1`,
      `      ${variable}_PORT: '${port}'`,
      ...extra,
      '    depends_on:',
      '      migrate:',
      '        condition: service_completed_successfully',
    ];
    composeFile = join(work.path, 'compose.yml');
    await writeFile(
      composeFile,
      [
        '# docker-build.sh tests: the production images, hardened as in docker-compose.production.yml,',
        '# on the host network (ports on 127.0.0.1) against the loopback services.',
        'x-app: &app',
        '  network_mode: host',
        '  read_only: true',
        '  cap_drop: [ALL]',
        "  security_opt: ['no-new-privileges:true']",
        '  tmpfs: [/tmp]',
        '  restart: unless-stopped',
        '  stop_grace_period: 30s',
        `  labels: { ${TEST_LABEL}: '${runId}' }`,
        '  secrets: [postgres_password, jwt_secret, api_key_pepper]',
        'services:',
        '  # One-shot, like the production file’s: the image’s migrate.js when it has one (the',
        '  # migrations ran from the host already, so it finds nothing to do), else a no-op.',
        '  migrate:',
        '    <<: *app',
        `    image: \${XORB_IMAGE_PREFIX}/api:\${XORB_VERSION}`,
        `    command: ${hasMigrateJs ? "['node', 'migrate.js']" : "['node', '-e', 'process.exit(0)']"}`,
        "    restart: 'no'",
        '    healthcheck: { disable: true }',
        '    environment:',
        ...common,
        ...app('api', 'API', ports.api),
        ...app('orchestrator', 'ORCHESTRATOR', ports.orchestrator),
        ...app('worker', 'WORKER', ports.worker),
        'secrets:',
        ...['postgres_password', 'jwt_secret', 'api_key_pepper'].flatMap((name) => [
          `  ${name}:`,
          `    file: ${join(secrets, name)}`,
        ]),
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    const leftovers = (
      await docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`])
    ).stdout
      .split('\n')
      .filter(Boolean);
    const ours = (await docker(['ps', '-aq', '--filter', `label=${TEST_LABEL}=${runId}`])).stdout
      .split('\n')
      .filter(Boolean);
    if (leftovers.length + ours.length > 0) await docker(['rm', '-f', '-v', ...leftovers, ...ours]);
    if (pgAdminUrl) {
      await admin(pgAdminUrl, async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${role} WITH (FORCE)`);
        await client.query(`DROP OWNED BY ${role}`).catch(() => undefined);
        await client.query(`DROP ROLE IF EXISTS ${role}`);
      }).catch((error: unknown) => console.warn(`[stack] could not drop ${role}: ${String(error)}`));
    }
    await work?.remove();
  });

  it('deploy: refuses the production file without its secret files, in one line', async () => {
    const empty = join(work.path, 'no-secrets');
    await mkdir(empty);
    const result = await runScript(['deploy', '--environment', 'production'], {
      ...env,
      XORB_SECRETS_HOST_DIR: empty,
    });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^docker-build\\.sh deploy: missing secret files: ${empty}/\\S+ .*tools/scripts/generate-secrets\\.sh`,
      ),
    );
  });

  it('deploy: refuses app images that are neither built nor in a registry, before starting anything', async () => {
    const secrets = join(work.path, 'generated-secrets');
    const generated = await run('bash', [
      join(REPO_ROOT, 'tools/scripts/generate-secrets.sh'),
      '--dir',
      secrets,
    ]);
    expect(generated.code, generated.stderr).toBe(0);
    const result = await runScript(['deploy', '--environment', 'production', '--version', 'never-built'], {
      ...env,
      XORB_SECRETS_HOST_DIR: secrets,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `deploying ${stackPrefix}-production (production) from docker-compose.production.yml: version never-built (--version)`,
    );
    expect(result.stderr.trim()).toBe(
      `docker-build.sh deploy: images not found here: ${imagePrefix}/api:never-built ${imagePrefix}/orchestrator:never-built ${imagePrefix}/worker:never-built (build them: docker-build.sh build --target production --version never-built; or pull them with --registry)`,
    );
    // As the guide prints it (no --version): the version of the last production build.
    const lastBuild = join(String(env.XORB_STATE_DIR), 'docker-build/last-build.env');
    await mkdir(dirname(lastBuild), { recursive: true });
    await writeFile(lastBuild, `version=never-built-last\nprefix=${imagePrefix}\n`);
    const asPrinted = await runScript(['deploy', '--environment', 'production'], {
      ...env,
      XORB_SECRETS_HOST_DIR: secrets,
    });
    await rm(lastBuild);
    expect(asPrinted.code).toBe(1);
    expect(asPrinted.stdout).toContain('version never-built-last (the last build)');
    expect(asPrinted.stderr).toContain(`images not found here: ${imagePrefix}/api:never-built-last`);
    const unreachable = `127.0.0.1:${await freePort()}`;
    const viaRegistry = await runScript(
      ['deploy', '--environment', 'production', '--version', 'never-built', '--registry', unreachable],
      { ...env, XORB_SECRETS_HOST_DIR: secrets },
    );
    expect(viaRegistry.code).toBe(1);
    expect(viaRegistry.stderr).toContain(`registry ${unreachable} is not reachable`);
    expect(
      (await docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${stackPrefix}-production`]))
        .stdout,
    ).toBe('');
  });

  it('deploy --swarm: says the engine is no swarm manager (the shared engine is not put in swarm mode)', async () => {
    const result = await runScript(
      ['deploy', '--environment', 'staging', '--swarm', '--file', composeFile, '--version', version],
      env,
    );
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(
      /--swarm needs a Swarm manager, but this engine's swarm state is 'inactive'/,
    );
  });

  it('deploy --environment staging: compose up -d --wait of the stack, healthy, with the version', async () => {
    const result = await runScript(
      ['deploy', '--environment', 'staging', '--file', composeFile, '--version', version, '--timeout', '180'],
      env,
    );
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain(
      `deploying ${project} (staging) from compose.yml: version ${version} (--version), images ${imagePrefix}/*, compose`,
    );
    expect(result.stdout).toMatch(
      new RegExp(
        `^deployed ${project} version ${version} in [\\d.]+s, every service running and healthy$`,
        'm',
      ),
    );
    const states = await dockerOk([
      'ps',
      '-a',
      '--filter',
      `label=com.docker.compose.project=${project}`,
      '--format',
      '{{.Label "com.docker.compose.service"}} {{.Image}} {{.State}} {{.Status}}',
    ]);
    for (const app of ['api', 'orchestrator', 'worker']) {
      expect(states).toMatch(
        new RegExp(`^${app}-prod ${imagePrefix}/${app}:${version} running Up .*\\(healthy\\)$`, 'm'),
      );
    }
    expect(states).toMatch(/^migrate \S+ exited Exited \(0\)/m);
    const inspect = JSON.parse(
      await dockerOk([
        'inspect',
        await dockerOk([
          'ps',
          '-q',
          '--filter',
          `label=com.docker.compose.service=api-prod`,
          '--filter',
          `label=com.docker.compose.project=${project}`,
        ]),
      ]),
    ) as Array<{ HostConfig: { ReadonlyRootfs: boolean; CapDrop: string[]; SecurityOpt: string[] } }>;
    expect(inspect[0]?.HostConfig).toMatchObject({ ReadonlyRootfs: true, CapDrop: ['ALL'] });
    console.info(`[deploy] minimal staging stack healthy in ${(result.ms / 1000).toFixed(1)} s`);

    // The smoke test's credential: the bootstrap admin's token makes an analyst API key.
    const token = await post(`${apiUrl}/api/v1/auth/token`, {
      grant_type: 'password',
      tenant: 'smoke',
      email: 'admin@smoke.test',
      password: adminPassword,
    });
    expect(token.status, JSON.stringify(token.json)).toBe(200);
    const key = await post(
      `${apiUrl}/api/v1/api-keys`,
      { name: 'smoke-test', role: 'analyst' },
      token.json.access_token as string,
    );
    expect(key.status, JSON.stringify(key.json)).toBe(201);
    apiKey = key.json.key as string;
  });

  it('test --environment staging: every service healthy, an authenticated call, a scan that completes', async () => {
    const result = await runScript(
      [
        'test',
        '--environment',
        'staging',
        '--url',
        apiUrl,
        '--scan-target',
        targetIp,
        '--scan-ports',
        '8080',
      ],
      { ...env, XORB_SMOKE_API_KEY: apiKey },
    );
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(
      new RegExp(
        `^ok    stack ${project}: 4 container\\(s\\): .*api-prod healthy.*orchestrator-prod healthy.*worker-prod healthy`,
        'm',
      ),
    );
    expect(out).toMatch(/^ok {4}stack .*migrate exited 0/m);
    expect(out).toMatch(
      new RegExp(`^ok    GET ${apiUrl}/health: 200 \\{"status":"ok","service":"api"\\}`, 'm'),
    );
    expect(out).toContain('ok    GET /api/v1/me without a credential: 401');
    expect(out).toMatch(
      /^ok {4}GET \/api\/v1\/me with the API key: 200, api_key \S+, role analyst, tenant smoke/m,
    );
    expect(out).toMatch(
      new RegExp(
        `^ok    scan \\S+ of ${targetIp.replace(/\./g, '\\.')} \\(created\\) completed in [\\d.]+s: 1 port\\(s\\) probed, open: 8080, findings new \\d+`,
        'm',
      ),
    );
    // The worker's automatic JSON report of that scan, downloaded and checked against its hash.
    expect(out).toMatch(
      /^ok {4}scan report \S+ \(json, \d+ bytes, \d+ finding\(s\)\) generated by the worker; download SHA-256 matches [0-9a-f]{16}\.\.\. \([\d.]+s\)$/m,
    );
    expect(out).toMatch(/^test: staging passed, 6 check\(s\) in [\d.]+s$/m);
    expect(result.stderr).toBe('');
    console.info(`[test] smoke tests of the minimal stack: ${(result.ms / 1000).toFixed(1)} s\n${out}`);

    // Again: the target now exists (409 on create) and is found in the target list.
    const again = await runScript(
      [
        'test',
        '--environment',
        'staging',
        '--url',
        apiUrl,
        '--scan-target',
        targetIp,
        '--scan-ports',
        '8080',
      ],
      { ...env, XORB_SMOKE_API_KEY: apiKey },
    );
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toMatch(/^ok {4}scan \S+ of \S+ completed in/m);
    expect(again.stdout).toMatch(/^ok {4}scan report \S+ \(json, /m);
    expect(again.stdout).not.toContain('(created)');

    // The key from --api-key, or from the file XORB_SMOKE_API_KEY_FILE names.
    const keyFile = join(work.path, 'smoke-api-key');
    await writeFile(keyFile, `${apiKey}\n`, { mode: 0o600 });
    for (const [args, extra] of [
      [['--api-key', apiKey], {}],
      [[], { XORB_SMOKE_API_KEY_FILE: keyFile }],
    ] as Array<[string[], Record<string, string>]>) {
      const result = await runScript(
        ['test', '--environment', 'staging', '--url', apiUrl, '--skip-scan', ...args],
        { ...env, ...extra },
      );
      expect(result.code, result.stdout).toBe(0);
      expect(result.stdout).toMatch(/^test: staging passed, 4 check\(s\) in/m);
    }
  });

  it('test: each failing check is named, and the exit status is 1', async () => {
    const wrongKey = await runScript(['test', '--environment', 'staging', '--url', apiUrl, '--skip-scan'], {
      ...env,
      XORB_SMOKE_API_KEY: 'xorb_000000000000_notAValidKeyAtAllNotAValidKeyAtAll0',
    });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stdout).toMatch(/^FAIL {2}GET \/api\/v1\/me with the API key: HTTP 401 /m);
    expect(wrongKey.stdout).toContain('skip  scan (--skip-scan)');
    expect(wrongKey.stderr.trim()).toMatch(/^docker-build\.sh test: 1 of 4 check\(s\) failed in [\d.]+s$/);

    const noKey = await runScript(['test', '--environment', 'staging', '--url', apiUrl], env);
    expect(noKey.code).toBe(1);
    expect(noKey.stdout).toContain(
      'FAIL  authenticated API call: no API key (--api-key, XORB_SMOKE_API_KEY or XORB_SMOKE_API_KEY_FILE)',
    );

    const loopbackTarget = await runScript(
      ['test', '--environment', 'staging', '--url', apiUrl, '--scan-target', '127.0.0.2'],
      { ...env, XORB_SMOKE_API_KEY: apiKey },
    );
    expect(loopbackTarget.code).toBe(1);
    expect(loopbackTarget.stdout).toMatch(/^FAIL {2}scan: target 127\.0\.0\.2 may not be scanned: /m);

    const noUrl = await runScript(['test', '--environment', 'staging', '--skip-scan'], {
      ...env,
      XORB_SMOKE_API_KEY: apiKey,
    });
    expect(noUrl.code).toBe(1);
    expect(noUrl.stdout).toContain(`FAIL  no URL: ${project} publishes no nginx port here (give --url)`);

    const noStack = await runScript(['test', '--environment', 'production', '--skip-scan'], env);
    expect(noStack.code).toBe(1);
    expect(noStack.stdout).toContain(
      `FAIL  stack ${stackPrefix}-production: no containers in project ${stackPrefix}-production (deploy it first: docker-build.sh deploy --environment production)`,
    );
  });

  it('logs [service]: the stack’s logs; an unknown service is a usage error', async () => {
    const result = await runScript(['logs', 'api', '--environment', 'staging', '--tail', '50'], env);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^api-prod-1\s+\| /);
    expect(result.stdout).toContain('"service":"api"');
    const all = await runScript(['--environment=staging', 'logs', '--tail', '5'], env);
    expect(all.code).toBe(0);
    for (const service of ['api-prod', 'orchestrator-prod', 'worker-prod'])
      expect(all.stdout).toContain(`${service}-1 `);
    const unknown = await runScript(['logs', 'nginx', '--environment', 'staging'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'unknown service: nginx (services of compose.yml: migrate, api-prod, orchestrator-prod, worker-prod)',
    );
    expect(unknown.stderr).toMatch(USAGE_LINE);
  });

  it('clean --environment staging: the stack and the staging images go, images other containers use stay', async () => {
    // An image of the staging environment (label), used by a container outside the stack.
    const extra = `${imagePrefix}/api:staging-extra`;
    const built = await run(
      DOCKER,
      ['build', '-q', '-t', extra, '--label', 'io.xorb.environment=staging', '-'],
      {
        env: { ...process.env, DOCKER_HOST: env.DOCKER_HOST, DOCKER_BUILDKIT: '0' },
        input: `FROM ${imagePrefix}/api:${version}\n`,
      },
    );
    expect(built.code, built.stderr).toBe(0);
    const user = `xorb-dbt-user-${runId}`;
    await dockerOk([
      'run',
      '-d',
      '--name',
      user,
      '--label',
      `${TEST_LABEL}=${runId}`,
      '--entrypoint',
      'node',
      extra,
      '-e',
      'setTimeout(() => {}, 600000)',
    ]);
    const record = join(String(env.XORB_STATE_DIR), 'docker-build/deploy-staging.env');
    expect(existsSync(record)).toBe(true);

    const dry = await runScript(['clean', '--environment', 'staging', '--dry-run'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`(dry run) docker compose -p ${project} down --remove-orphans --timeout 30`);
    expect(dry.stdout).toContain(`kept ${extra}: used by container(s) ${user}`);
    expect(
      (await docker(['ps', '-q', '--filter', `label=com.docker.compose.project=${project}`])).stdout,
    ).not.toBe('');

    const clean = await runScript(['clean', '--environment', 'staging'], env);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toMatch(
      new RegExp(`clean staging: stack ${project}, 0 image tag\\(s\\) removed, 1 kept, in [\\d.]+s`),
    );
    expect(
      (await docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`])).stdout,
    ).toBe('');
    expect(existsSync(record)).toBe(false);
    expect(await imageExists(extra)).toBe(true);

    await dockerOk(['rm', '-f', user]);
    const again = await runScript(['clean', '--environment', 'staging'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`no compose project ${project}`);
    expect(again.stdout).toContain(`removing ${extra}`);
    expect(await imageExists(extra)).toBe(false);
    // Staging runs production's images: they stay.
    for (const app of ['api', 'orchestrator', 'worker'])
      expect(await imageExists(`${imagePrefix}/${app}:${version}`)).toBe(true);
  });
});
