import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../../deploy/tests/support/tools';

export const MONITORING = join(REPO_ROOT, 'monitoring');
export const PROMETHEUS_CONFIG = join(MONITORING, 'prometheus/prometheus.yml');
export const RULES_DIR = join(MONITORING, 'prometheus/rules');
export const RULE_TESTS = join(MONITORING, 'prometheus/tests/xorb-alerts.test.yml');
export const DASHBOARDS_DIR = join(MONITORING, 'grafana/dashboards');
export const DATASOURCES = join(MONITORING, 'grafana/provisioning/datasources/prometheus.yml');
export const DASHBOARD_PROVIDER = join(MONITORING, 'grafana/provisioning/dashboards/xorb.yml');

export function readYaml<T = Record<string, unknown>>(path: string): T {
  return parse(readFileSync(path, 'utf8')) as T;
}

export interface ScrapeConfig {
  job_name: string;
  dns_sd_configs?: Array<{ names: string[]; type: string; port: number }>;
  static_configs?: Array<{ targets: string[] }>;
  relabel_configs?: unknown[];
  metric_relabel_configs?: unknown[];
  [key: string]: unknown;
}

export interface PrometheusConfig {
  global: Record<string, unknown>;
  rule_files: string[];
  scrape_configs: ScrapeConfig[];
}

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
}

export function alertRules(): AlertRule[] {
  return readdirSync(RULES_DIR)
    .filter((name) => name.endsWith('.yml'))
    .flatMap((name) => readYaml<{ groups: Array<{ rules: AlertRule[] }> }>(join(RULES_DIR, name)).groups)
    .flatMap((group) => group.rules)
    .filter((rule) => rule.alert);
}

export interface PanelTarget {
  expr: string;
  refId: string;
  instant?: boolean;
  datasource?: { type: string; uid: string };
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type: string; uid: string };
  targets?: PanelTarget[];
  panels?: Panel[];
}

export interface TemplateVariable {
  name: string;
  type: string;
  query: { query: string } | string;
  allValue?: string;
  includeAll?: boolean;
  datasource?: { type: string; uid: string };
}

export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: TemplateVariable[] };
}

export function dashboards(): Array<{ file: string; dashboard: Dashboard }> {
  return readdirSync(DASHBOARDS_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      dashboard: JSON.parse(readFileSync(join(DASHBOARDS_DIR, file), 'utf8')) as Dashboard,
    }));
}

/** Every panel, rows' nested panels included. */
export function allPanels(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

export function variableQuery(variable: TemplateVariable): string {
  return typeof variable.query === 'string' ? variable.query : variable.query.query;
}
