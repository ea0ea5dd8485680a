import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@xorb/config-manager';
import { MAINTENANCE_JOBS, QUEUE_NAMES } from '@xorb/contracts';
import { queuePrefix } from '@xorb/queues';
import { createPool, migrate } from '@xorb/db';
import { createLogger } from '@xorb/observability';
import { freePort, ProxiedDependencies, ServiceProcess, testServices, type XorbApp } from '@xorb/testing';
import { waitUntilServing } from '../../deploy/tests/support/services';
import { run, tempDir, tool, ToolProcess, waitFor } from '../../deploy/tests/support/tools';
import {
  allPanels,
  alertRules,
  DASHBOARD_PROVIDER,
  dashboards,
  DATASOURCES,
  PROMETHEUS_CONFIG,
  readYaml,
  RULES_DIR,
  variableQuery,
  type PrometheusConfig,
} from './support/monitoring-files';

const REQUIRED_DASHBOARDS = ['Container Overview', 'Service Health', 'Performance', 'Errors'];

/**
 * Panels may come back empty only for these reasons, each stated: a metric no process
 * running in this test exports, or one that only gets a series on an event this test
 * does not produce. Every other panel must return data.
 */
const MAY_BE_EMPTY: Array<{ pattern: RegExp; why: string }> = [
  {
    pattern: /\bcontainer_\w+/,
    why: 'container_* series come from cAdvisor, which runs in the compose stacks, not in this test',
  },
  {
    pattern: /\bxorb_workflows_total\b/,
    why: 'xorb_workflows_total gets its first series when a scan workflow finishes; no scan runs here',
  },
  {
    pattern: /\bxorb_queue_jobs\b/,
    why: 'xorb_queue_jobs{queue,state} is not exported by the worker under test',
  },
  {
    pattern: /\bxorb_worker_memory_limit_bytes\b/,
    why: 'xorb_worker_memory_limit_bytes is not exported by the worker under test',
  },
];

/** Allowed only when the API answered no 5xx at all during the run (see the outage below). */
const FIVE_XX = {
  pattern: /status_code=~"5\.\."/,
  why: 'the API answered no 5xx during the test (the postgres outage produced none)',
};

const UNKNOWN_API_KEY = `xorb_${'0'.repeat(12)}_${'A'.repeat(43)}`;

/** Grafana's variables, as a dashboard shows them with "All" selected. */
const RATE_INTERVAL = '30s';
function substitute(expr: string, variables: Record<string, string>): string {
  return expr
    .replaceAll('$__rate_interval', RATE_INTERVAL)
    .replaceAll('$__interval', '15s')
    .replace(/\$(\w+)/g, (match, name: string) => variables[name] ?? match);
}

describe('Grafana dashboards and provisioning', () => {
  const datasource = readYaml<{ datasources: Array<{ uid: string; type: string; url: string }> }>(DATASOURCES)
    .datasources[0];

  it('provisions the Prometheus datasource and the dashboard folder the stacks mount', () => {
    expect(datasource).toMatchObject({
      uid: 'xorb-prometheus',
      type: 'prometheus',
      url: 'http://prometheus:9090',
    });
    const provider = readYaml<{ providers: Array<{ type: string; options: { path: string } }> }>(
      DASHBOARD_PROVIDER,
    ).providers[0];
    expect(provider).toMatchObject({ type: 'file', options: { path: '/etc/grafana/dashboards/xorb' } });
  });

  it('has the four dashboards of the guide, as valid JSON with unique uids', () => {
    const all = dashboards();
    const titles = all.map(({ dashboard }) => dashboard.title.replace(/^XORB \/ /, ''));
    expect(titles.sort()).toEqual([...REQUIRED_DASHBOARDS].sort());
    const uids = all.map(({ dashboard }) => dashboard.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it.each(dashboards().map(({ file, dashboard }) => [file, dashboard] as const))(
    '%s: panels are well formed and query the provisioned datasource',
    (_file, dashboard) => {
      expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
      const panels = allPanels(dashboard);
      const ids = panels.map((panel) => panel.id);
      expect(new Set(ids).size, 'panel ids are unique').toBe(ids.length);
      for (const panel of panels) {
        expect(
          panel.gridPos.x + panel.gridPos.w,
          `${panel.title} fits the 24-column grid`,
        ).toBeLessThanOrEqual(24);
        if (panel.type === 'row') continue;
        expect(panel.datasource?.uid, panel.title).toBe(datasource?.uid);
        expect(panel.targets?.length, `${panel.title} has queries`).toBeGreaterThan(0);
        const refIds = (panel.targets ?? []).map((target) => target.refId);
        expect(new Set(refIds).size, `${panel.title}: refIds are unique`).toBe(refIds.length);
        for (const target of panel.targets ?? []) {
          expect(target.expr.trim(), `${panel.title} ${target.refId}`).not.toBe('');
          expect(target.datasource?.uid ?? panel.datasource?.uid).toBe(datasource?.uid);
        }
      }
      for (const variable of dashboard.templating.list) {
        expect(variable.datasource?.uid ?? datasource?.uid).toBe(datasource?.uid);
        expect(variableQuery(variable)).toMatch(/^label_values\(.+, *\w+\)$/);
      }
    },
  );
});

interface QueryResult {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: Array<{ metric: Record<string, string>; value?: [number, string] }> };
}

describe('dashboard PromQL against a real Prometheus that scraped the running services', () => {
  const processes: Partial<Record<XorbApp, ServiceProcess>> = {};
  const ports: Partial<Record<XorbApp, number>> = {};
  let prometheus: ToolProcess;
  let prometheusUrl: string;
  let dependencies: ProxiedDependencies;
  let work: { path: string; remove: () => Promise<void> };
  /** Status codes the API answered to the traffic, as the client saw them. */
  const answered = new Map<number, number>();
  let redis: Redis;
  let queue: Queue;
  let traffic: Promise<void> | undefined;
  let stopTraffic = false;
  const skippedJobs: string[] = [];

  async function query(expr: string): Promise<QueryResult> {
    const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
    return (await response.json()) as QueryResult;
  }

  async function labelValues(selector: string, label: string): Promise<string[]> {
    const url = `${prometheusUrl}/api/v1/label/${label}/values?match[]=${encodeURIComponent(selector)}`;
    const body = (await (await fetch(url)).json()) as { status: string; data: string[] };
    return body.data;
  }

  /** Requests to the API and jobs for the worker, all along, so that every rate() has data. */
  async function generateTraffic(): Promise<void> {
    for (let round = 0; !stopTraffic; round += 1) {
      const api = `http://127.0.0.1:${ports.api}`;
      const count = (response: Response) => {
        answered.set(response.status, (answered.get(response.status) ?? 0) + 1);
        return response.body?.cancel();
      };
      await Promise.allSettled([
        fetch(`${api}/api/v1/monitoring-test/${round % 5}`).then(count),
        fetch(`${api}/openapi.json`).then(count),
        fetch(`${api}/health`),
        // A well-formed API key nobody issued: looked up in PostgreSQL, so 401 while the
        // database answers, and a server error while it is cut off (below).
        fetch(`${api}/api/v1/me`, { headers: { 'x-api-key': UNKNOWN_API_KEY } }).then(count),
        queue.add(MAINTENANCE_JOBS.ping, { requestedAt: new Date().toISOString() }),
        // No processor for this name: the job fails (outcome="failed"), as a broken job would.
        round % 3 === 0 ? queue.add('monitoring-test-unknown-job', {}) : Promise.resolve(),
      ]);
      await sleep(100);
    }
  }

  beforeAll(async () => {
    const services = testServices();
    work = await tempDir('xorb-monitoring');
    // A fresh, migrated database; the API reaches it through a proxy that can cut it off.
    dependencies = await ProxiedDependencies.start();
    const suffix = randomUUID().slice(0, 8);
    const env = {
      XORB_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: dependencies.database.url,
      REDIS_URL: services.redisUrl,
      TEMPORAL_HOST: services.temporalAddress,
      REDIS_KEY_PREFIX: `xorb-monitoring-${suffix}`,
      TEMPORAL_TASK_QUEUE: `xorb-monitoring-${suffix}`,
      RATE_LIMIT_MAX_REQUESTS: '1000000',
    };
    // The apps' own view of the configuration (database section, queue key prefix).
    const appConfig = await loadConfig({ env, secretsDir: join(work.path, 'no-secrets') });
    const logger = createLogger({ service: 'monitoring-test', level: 'warn' });
    const pool = createPool(appConfig.database, { applicationName: 'xorb-monitoring-test', logger });
    await migrate(pool, logger);
    await pool.end();
    const portVariable = {
      api: 'API_PORT',
      orchestrator: 'ORCHESTRATOR_PORT',
      worker: 'WORKER_PORT',
    } as const;
    for (const app of ['api', 'orchestrator', 'worker'] as const) {
      ports[app] = await freePort();
      const own = app === 'api' ? { DATABASE_URL: dependencies.env.DATABASE_URL as string } : {};
      processes[app] = ServiceProcess.start(app, { ...env, ...own, [portVariable[app]]: String(ports[app]) });
    }
    await Promise.all(
      (['api', 'orchestrator', 'worker'] as const).map((app) =>
        waitUntilServing(processes[app] as ServiceProcess, `http://127.0.0.1:${ports[app]}/health`),
      ),
    );

    redis = new Redis(services.redisUrl, { maxRetriesPerRequest: null });
    queue = new Queue(QUEUE_NAMES.maintenance, {
      connection: redis,
      prefix: queuePrefix(appConfig.redis),
      defaultJobOptions: { removeOnComplete: true, removeOnFail: true, attempts: 1 },
    });
    traffic = generateTraffic();

    // The repository's prometheus.yml, with DNS discovery replaced by the processes'
    // addresses (Prometheus cannot be pointed at a test DNS server) and a 1 s interval.
    const config = readYaml<PrometheusConfig>(PROMETHEUS_CONFIG);
    const prometheusPort = await freePort();
    prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
    const targets: Record<string, string> = {
      api: `127.0.0.1:${ports.api}`,
      orchestrator: `127.0.0.1:${ports.orchestrator}`,
      worker: `127.0.0.1:${ports.worker}`,
      prometheus: `127.0.0.1:${prometheusPort}`,
    };
    const scrapeConfigs = config.scrape_configs.flatMap((job) => {
      const target = targets[job.job_name];
      if (!target) {
        skippedJobs.push(job.job_name);
        return [];
      }
      const { dns_sd_configs: _dns, static_configs: _static, ...rest } = job;
      return [{ ...rest, static_configs: [{ targets: [target] }] }];
    });
    const rendered = join(work.path, 'prometheus.yml');
    await writeFile(
      rendered,
      stringify({
        ...config,
        global: { ...config.global, scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
        rule_files: [join(RULES_DIR, '*.yml')],
        scrape_configs: scrapeConfigs,
      }),
    );
    const check = await run(await tool('XORB_PROMTOOL_BIN'), ['check', 'config', rendered]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    prometheus = ToolProcess.start('prometheus', await tool('XORB_PROMETHEUS_BIN'), [
      `--config.file=${rendered}`,
      `--storage.tsdb.path=${join(work.path, 'data')}`,
      `--web.listen-address=127.0.0.1:${prometheusPort}`,
      '--log.level=warn',
    ]);

    // Data for every rate() window: each service up, requests and failed jobs counted
    // over several scrapes.
    const started = Date.now();
    await waitFor(
      'Prometheus to scrape the services',
      async () => {
        const up = await query('sum(up{job=~"api|orchestrator|worker"})');
        return up.data?.result[0]?.value?.[1] === '3' ? true : undefined;
      },
      60_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${prometheus.describe()}`);
    });
    await waitFor(
      'rates of requests and failed jobs',
      async () => {
        const [requests, failed] = await Promise.all([
          query(`sum(rate(http_requests_total[${RATE_INTERVAL}])) > 0`),
          query(`sum(rate(xorb_jobs_total{outcome="failed"}[${RATE_INTERVAL}])) > 0`),
        ]);
        return requests.data?.result.length && failed.data?.result.length ? true : undefined;
      },
      60_000,
    );
    // A real dependency outage: PostgreSQL cut off from the API for a few seconds, so that
    // requests that need it fail the way they would in production (5xx), then back.
    await dependencies.cut('postgres');
    await sleep(4_000);
    await dependencies.restore('postgres');
    await sleep(3_000);
    console.info(
      `[prometheus] services scraped with data in ${Date.now() - started} ms; API answers seen:`,
      Object.fromEntries(answered),
    );
  }, 180_000);

  afterAll(async () => {
    stopTraffic = true;
    await traffic;
    await prometheus?.stop();
    await Promise.all(
      Object.values(processes).map((process) => process.stop('SIGTERM', 20_000).catch(() => undefined)),
    );
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    redis?.disconnect();
    await dependencies?.stop();
    await work?.remove();
  });

  it('evaluates every panel query; each returns data unless a stated reason says it cannot yet', async () => {
    const report: string[] = [];
    const failures: string[] = [];
    const noData = new Map<string, string[]>();
    for (const { dashboard } of dashboards()) {
      const variables = Object.fromEntries(
        dashboard.templating.list.map((variable) => [variable.name, variable.allValue ?? '.+']),
      );
      for (const panel of allPanels(dashboard)) {
        for (const target of panel.targets ?? []) {
          const expr = substitute(target.expr, variables);
          const result = await query(expr);
          const where = `${dashboard.title} / ${panel.title} [${target.refId}]`;
          if (result.status !== 'success') {
            failures.push(`${where}: query error ${result.error ?? ''}: ${expr}`);
            continue;
          }
          const series = result.data?.result.length ?? 0;
          if (series > 0) {
            report.push(`data     ${String(series).padStart(3)} series  ${where}`);
            continue;
          }
          const serverErrors = [...answered].some(([status, count]) => status >= 500 && count > 0);
          const allowed = serverErrors ? MAY_BE_EMPTY : [...MAY_BE_EMPTY, FIVE_XX];
          const reason = allowed.find((candidate) => candidate.pattern.test(expr));
          if (!reason) {
            failures.push(`${where}: no data: ${expr}`);
            continue;
          }
          report.push(`no data  (${reason.why})  ${where}`);
          noData.set(reason.why, [...(noData.get(reason.why) ?? []), where]);
        }
      }
    }
    console.info(`[dashboards] panel queries:\n${report.join('\n')}`);
    console.info(
      `[prometheus] scrape jobs not run in this test (no such process here): ${skippedJobs.join(', ')}`,
    );
    expect(failures).toEqual([]);
  }, 60_000);

  it('resolves every template variable to values', async () => {
    for (const { dashboard } of dashboards()) {
      for (const variable of dashboard.templating.list) {
        const match = /^label_values\((.+),\s*(\w+)\)$/.exec(variableQuery(variable));
        expect(match, variable.name).not.toBeNull();
        const selector = substitute(match?.[1] ?? '', { service: '.+', instance: '.+' });
        const values = await labelValues(selector, match?.[2] ?? '');
        if (/container_/.test(selector)) continue; // cAdvisor: see MAY_BE_EMPTY
        expect(values.length, `${dashboard.title}: $${variable.name}`).toBeGreaterThan(0);
      }
    }
    expect(await labelValues('up{job=~"api|orchestrator|worker"}', 'service')).toEqual([
      'api',
      'orchestrator',
      'worker',
    ]);
  });

  it('evaluates every alert rule on the real series: all services up, failing jobs noticed', async () => {
    const firingNow: Record<string, number> = {};
    for (const rule of alertRules()) {
      const result = await query(rule.expr);
      expect(result.status, `${rule.alert}: ${result.error ?? ''}`).toBe('success');
      firingNow[rule.alert] = result.data?.result.length ?? 0;
    }
    console.info('[alerts] conditions true right now (before `for`):', firingNow);
    expect(firingNow).toMatchObject({
      XorbInstanceDown: 0,
      XorbServiceDown: 0,
      XorbWorkerMemoryNearLimit: 0,
    });
    // A third of the maintenance jobs fail on purpose (no processor for their name).
    expect(firingNow.XorbJobFailures).toBe(1);
  });
});
