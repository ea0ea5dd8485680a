import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, tempDir, tool } from '../../deploy/tests/support/tools';
import {
  alertRules,
  PROMETHEUS_CONFIG,
  readYaml,
  RULE_TESTS,
  RULES_DIR,
  type PrometheusConfig,
} from './support/monitoring-files';

/** The alerts the issue asks for, by what they watch. */
const REQUIRED_ALERTS = {
  'service down': ['XorbInstanceDown', 'XorbServiceDown'],
  'error rate': ['XorbHighErrorRate'],
  'p95 latency': ['XorbHighLatencyP95'],
  'queue backlog': ['XorbQueueBacklog'],
  'failed jobs': ['XorbJobFailures'],
  'worker memory near its limit': ['XorbWorkerMemoryNearLimit'],
  'workflow failures': ['XorbWorkflowFailures'],
};

describe('promtool', () => {
  let work: { path: string; remove: () => Promise<void> };
  let promtool: string;

  beforeAll(async () => {
    work = await tempDir('xorb-promtool');
    promtool = await tool('XORB_PROMTOOL_BIN');
  });
  afterAll(() => work?.remove());

  it('check config: prometheus.yml, with its rule files where the containers mount them', async () => {
    const config = readYaml<PrometheusConfig>(PROMETHEUS_CONFIG);
    expect(config.rule_files).toEqual(['/etc/prometheus/rules/*.yml']);
    // The only change: the rules' directory inside the container -> the repository's.
    const rendered = join(work.path, 'prometheus.yml');
    await writeFile(rendered, stringify({ ...config, rule_files: [join(RULES_DIR, '*.yml')] }));
    const result = await run(promtool, ['check', 'config', rendered]);
    console.info(`[promtool] check config: ${result.ms} ms`);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/SUCCESS: 1 rule files found/);
  });

  it('check rules: every rule file', async () => {
    const result = await run(promtool, ['check', 'rules', join(RULES_DIR, 'xorb-alerts.yml')]);
    console.info(`[promtool] check rules: ${result.ms} ms`);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('test rules: the unit tests pass', async () => {
    const result = await run(promtool, ['test', 'rules', RULE_TESTS]);
    console.info(`[promtool] test rules: ${result.ms} ms`);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('SUCCESS');
  });

  it('has the alerts the stacks need, each with a severity and a unit test that fires it', () => {
    const rules = alertRules();
    const names = rules.map((rule) => rule.alert);
    for (const [purpose, alerts] of Object.entries(REQUIRED_ALERTS)) {
      for (const alert of alerts) expect(names, `an alert for ${purpose}`).toContain(alert);
    }
    for (const rule of rules) expect(['warning', 'critical']).toContain(rule.labels?.severity);

    const tests = readYaml<{
      tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts: unknown[] }> }>;
    }>(RULE_TESTS).tests;
    const firing = new Set(
      tests
        .flatMap((test) => test.alert_rule_test ?? [])
        .filter((check) => check.exp_alerts.length > 0)
        .map((check) => check.alertname),
    );
    for (const name of names) expect(firing, `a unit test in which ${name} fires`).toContain(name);
  });
});
