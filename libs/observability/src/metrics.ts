import { collectDefaultMetrics, Registry } from 'prom-client';

/** A Prometheus registry with Node's default and process metrics, labelled by service. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
