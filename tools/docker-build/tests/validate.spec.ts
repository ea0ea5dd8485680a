import { appendFile, cp, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT, run, runScript, scriptEnv, tempDir } from './support/script';

const CHECKS = [
  'docker compose config docker-compose.development.yml',
  'docker compose config docker-compose.production.yml',
  'docker stack config docker-compose.production.yml',
  'nginx -t (production site)',
  'nginx -t (development site)',
  'promtool check config monitoring/prometheus/prometheus.yml',
  'promtool check rules monitoring/prometheus/rules/*.yml',
  'promtool test rules monitoring/prometheus/tests/*.yml',
  'grafana dashboards monitoring/grafana/dashboards/*.json',
  'Dockerfiles match docker/Dockerfile.template',
];

/** What `validate` reads, copied into a scratch checkout that a test may break. */
const VALIDATED = [
  'tools/scripts/docker-build.sh',
  'tools/scripts/generate-secrets.sh',
  'scripts/install-tools.sh',
  'docker/lib.sh',
  'docker/base.env',
  'docker/render-dockerfiles.sh',
  'docker/Dockerfile.template',
  '.nvmrc',
  'docker-compose.development.yml',
  'docker-compose.production.yml',
  'nginx',
  'monitoring/prometheus',
  'monitoring/grafana',
  ...['api', 'orchestrator', 'worker'].flatMap((app) => [
    `apps/${app}/Dockerfile`,
    `apps/${app}/package.json`,
  ]),
];

describe('docker-build.sh validate', () => {
  let state: { path: string; remove: () => Promise<void> };
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    state = await tempDir('xorb-dbt-validate');
    env = scriptEnv({ imagePrefix: inject('dockerBuild').imagePrefix, stateDir: state.path });
  });
  afterAll(() => state?.remove());

  it('passes on the repository: compose config (both), stack config, nginx -t (both sites), promtool, dashboards, Dockerfiles', async () => {
    const result = await runScript(['validate'], env);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    for (const check of CHECKS) {
      expect(result.stdout).toMatch(
        new RegExp(`^ok    ${check.replace(/[.*()]/g, '\\$&')} \\([\\d.]+s\\)$`, 'm'),
      );
    }
    expect(result.stdout).toMatch(/^validate: every check passed in [\d.]+s$/m);
    console.info(`[validate] ${CHECKS.length} checks in ${(result.ms / 1000).toFixed(1)} s`);
  });

  it('fails, naming each broken check with the tool’s own words, on a broken configuration', async () => {
    const checkout = await tempDir('xorb-dbt-broken');
    try {
      for (const path of VALIDATED) {
        await mkdir(dirname(join(checkout.path, path)), { recursive: true });
        await cp(join(REPO_ROOT, path), join(checkout.path, path), { recursive: true });
      }
      await appendFile(join(checkout.path, 'nginx/xorb/limits.conf'), '\nlimit_req_zone_typo on;\n');
      await appendFile(
        join(checkout.path, 'monitoring/prometheus/rules/xorb-alerts.yml'),
        '\n  - name: broken\n    rules:\n      - alert: Broken\n        expr: rate(http_requests_total[5m] > 1\n',
      );
      await appendFile(join(checkout.path, 'docker-compose.production.yml'), '\nbogus_top_level_key: 1\n');
      const inCopy = await run('bash', [join(checkout.path, 'tools/scripts/docker-build.sh'), 'validate'], {
        env,
        cwd: checkout.path,
      });
      expect(inCopy.code, inCopy.stdout).toBe(1);
      expect(inCopy.stdout).toMatch(/^FAIL {2}docker compose config docker-compose\.production\.yml/m);
      expect(inCopy.stdout).toMatch(/bogus_top_level_key/);
      expect(inCopy.stdout).toMatch(/^FAIL {2}nginx -t \(production site\)/m);
      expect(inCopy.stdout).toMatch(/^FAIL {2}nginx -t \(development site\)/m);
      expect(inCopy.stdout).toMatch(/unknown directive "limit_req_zone_typo"/);
      expect(inCopy.stdout).toMatch(/^FAIL {2}promtool check rules/m);
      expect(inCopy.stdout).toMatch(/^ok {4}docker compose config docker-compose\.development\.yml/m);
      expect(inCopy.stdout).toMatch(/^ok {4}grafana dashboards/m);
      expect(inCopy.stderr.trim()).toMatch(/^docker-build\.sh validate: \d+ check\(s\) failed in [\d.]+s$/);
    } finally {
      await checkout.remove();
    }
  });

  it('fails when a tool is missing, naming it and where it comes from', async () => {
    const result = await runScript(['validate'], { ...env, XORB_PROMTOOL_BIN: '/nonexistent/promtool' });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('FAIL  promtool (');
    expect(result.stdout).toContain(
      'promtool (XORB_PROMTOOL_BIN=/nonexistent/promtool) is not installed (scripts/install-tools.sh installs it)',
    );
    expect(result.stdout).toMatch(/^ok {4}nginx -t \(production site\)/m);
  });
});
