import { Context } from '@temporalio/activity';
import type { XorbConfig } from '@xorb/config-manager';
import { fingerprintService, type ServiceObservation } from '@xorb/scanner';

export interface FingerprintInput {
  scanId: string;
  tenantId: string;
  address: string;
  hostname: string;
  ports: number[];
}

/** TLS, HTTP, banner, Redis and Docker-API observations for each open port, a few at a time. */
export async function fingerprintServices(
  scanning: XorbConfig['scanning'],
  input: FingerprintInput,
): Promise<ServiceObservation[]> {
  const context = Context.current();
  const observations: ServiceObservation[] = [];
  const queue = [...input.ports];
  const workers = Array.from({ length: Math.min(4, queue.length) }, async () => {
    for (let port = queue.shift(); port !== undefined; port = queue.shift()) {
      context.heartbeat({ port });
      observations.push(
        await fingerprintService({
          address: input.address,
          port,
          hostname: input.hostname,
          timeoutMs: scanning.portTimeoutMs,
          signal: context.cancellationSignal,
        }),
      );
    }
  });
  await Promise.all(workers);
  return observations.sort((a, b) => a.port - b.port);
}
