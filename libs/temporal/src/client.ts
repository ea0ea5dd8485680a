import { Client, Connection } from '@temporalio/client';
import type { XorbConfig } from '@xorb/config-manager';

export interface TemporalClientHandle {
  connection: Connection;
  client: Client;
}

/** A Temporal client for the configured address and namespace (TEMPORAL_HOST). */
export function connectTemporalClient(temporal: XorbConfig['temporal']): TemporalClientHandle {
  // Lazy: a service starts (and reports not-ready) while Temporal is still down.
  const connection = Connection.lazy({ address: temporal.address, connectTimeout: '5s' });
  const client = new Client({ connection, namespace: temporal.namespace });
  return { connection, client };
}
