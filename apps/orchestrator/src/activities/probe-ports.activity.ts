import { Context } from '@temporalio/activity';
import type { XorbConfig } from '@xorb/config-manager';
import { updateScan, withTenant, type Pool } from '@xorb/db';
import { probePorts } from '@xorb/scanner';

export interface ProbePortsInput {
  scanId: string;
  tenantId: string;
  address: string;
  ports: number[];
}

/** What a heartbeat carries: every port below `index` is done, and these were open. */
interface ProbeCheckpoint {
  index: number;
  open: number[];
}

const PROGRESS_WRITE_INTERVAL_MS = 1_000;

/**
 * TCP-connects to every port, within the configured concurrency, rate and
 * per-port timeout. Heartbeats carry a checkpoint, so a retry (say, after the
 * orchestrator restarted) resumes where the last one stopped; cancellation
 * aborts in-flight connects at once.
 */
export async function probeScanPorts(
  pool: Pool,
  scanning: XorbConfig['scanning'],
  input: ProbePortsInput,
): Promise<{ openPorts: number[] }> {
  const context = Context.current();
  const resumed = context.info.heartbeatDetails as ProbeCheckpoint | undefined;
  const startIndex = resumed?.index ?? 0;
  const alreadyOpen = resumed?.open ?? [];
  if (resumed)
    context.log.info('Resuming port probe from checkpoint', {
      scanId: input.scanId,
      index: startIndex,
      total: input.ports.length,
    });

  let lastWrite = 0;
  const writeProgress = async (scanned: number, open: number[]) => {
    await withTenant(pool, input.tenantId, (client) =>
      updateScan(client, input.tenantId, input.scanId, {
        phase: 'probing',
        portsScanned: scanned,
        openPorts: open,
        progress: 5 + Math.floor((scanned / Math.max(1, input.ports.length)) * 75),
      }),
    );
  };

  const result = await probePorts({
    address: input.address,
    ports: input.ports,
    startIndex,
    concurrency: scanning.maxConcurrency,
    ratePerSecond: scanning.ratePerSecond,
    timeoutMs: scanning.connectTimeoutMs,
    signal: context.cancellationSignal,
    onProgress: ({ scanned, open }) => {
      const checkpoint: ProbeCheckpoint = {
        index: scanned,
        open: [...new Set([...alreadyOpen, ...open])].sort((a, b) => a - b),
      };
      context.heartbeat(checkpoint);
      if (Date.now() - lastWrite >= PROGRESS_WRITE_INTERVAL_MS) {
        lastWrite = Date.now();
        void writeProgress(checkpoint.index, checkpoint.open).catch((error: unknown) =>
          context.log.warn('Could not record scan progress', { error: String(error) }),
        );
      }
    },
  });
  const openPorts = [...new Set([...alreadyOpen, ...result.open])].sort((a, b) => a - b);
  await writeProgress(input.ports.length, openPorts);
  return { openPorts };
}
