import { randomUUID } from 'node:crypto';
import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

/** Where /metrics text comes from: this process, or every process of the cluster. */
export interface MetricsSource {
  contentType: string;
  metrics(): Promise<string>;
}

export function localMetrics(registry: Registry): MetricsSource {
  return { contentType: registry.contentType, metrics: () => registry.metrics() };
}

const REQUEST = 'xorb:metrics-request';
const RESPONSE = 'xorb:metrics-response';

interface MetricsMessage {
  type: typeof REQUEST | typeof RESPONSE;
  id: string;
  text?: string;
  error?: string;
}

/**
 * In a cluster worker: asks the primary, which collects every worker's registry
 * (prom-client's AggregatorRegistry) and sums them, so any worker answers for all.
 */
export function clusterMetrics(registry: Registry): MetricsSource {
  // Constructing one installs prom-client's listener that answers the primary's collection requests.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  const pending = new Map<string, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  process.on('message', (message: MetricsMessage) => {
    if (message?.type !== RESPONSE) return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) waiter?.reject(new Error(message.error));
    else waiter?.resolve(message.text ?? '');
  });
  return {
    contentType: registry.contentType,
    metrics: () =>
      new Promise((resolve, reject) => {
        const id = randomUUID();
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error('the cluster primary did not answer the metrics request'));
        }, 5_000);
        pending.set(id, {
          resolve: (text) => (clearTimeout(timer), resolve(text)),
          reject: (error) => (clearTimeout(timer), reject(error)),
        });
        process.send?.({ type: REQUEST, id } satisfies MetricsMessage);
      }),
  };
}

/** In the primary: answers workers' metrics requests with the whole cluster's metrics. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: MetricsMessage) => {
    if (message?.type !== REQUEST) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: RESPONSE, id: message.id, text } satisfies MetricsMessage),
      (error: unknown) =>
        worker.send({ type: RESPONSE, id: message.id, error: String(error) } satisfies MetricsMessage),
    );
  });
}
