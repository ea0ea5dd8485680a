import { ApplicationFailure } from '@temporalio/activity';
import type { ScanWorkflowInput } from '@xorb/contracts';
import {
  findScan,
  findScanByIdempotencyKey,
  findTarget,
  insertScan,
  updateScan,
  withTenant,
  type Pool,
  type ScanRow,
  type TargetRow,
} from '@xorb/db';
import { parsePortScope, PROFILE_PORTS } from '@xorb/scanner';

export interface ScanPlan {
  scanId: string;
  /** What is resolved and probed. */
  host: string;
  /** Sent as TLS SNI and HTTP Host; the IP itself for IP targets. */
  hostname: string;
  verified: boolean;
  ports: number[];
}

export type BeginScanInput = ScanWorkflowInput & { workflowId: string };

/**
 * Loads (or, for a scheduled run, registers) the scan and works out what to
 * probe: the request's ports, else the target's port scope, else the profile's,
 * plus the port a URL target names.
 */
export async function beginScan(pool: Pool, input: BeginScanInput): Promise<ScanPlan> {
  return withTenant(pool, input.tenantId, async (client) => {
    const target = await findTarget(client, input.tenantId, input.targetId);
    if (!target)
      throw ApplicationFailure.nonRetryable(`target ${input.targetId} no longer exists`, 'TargetNotFound');
    const scan = input.scanId
      ? await findScan(client, input.tenantId, input.scanId)
      : await registerScheduledScan(client, input, target);
    if (!scan)
      throw ApplicationFailure.nonRetryable(`scan ${input.scanId ?? ''} does not exist`, 'TargetNotFound');
    const ports = portsFor(input.ports || scan.ports || target.ports, scan.profile, target);
    await updateScan(client, input.tenantId, scan.id, {
      status: 'running',
      phase: 'resolving',
      portsTotal: ports.length,
    });
    return {
      scanId: scan.id,
      host: target.host,
      hostname: target.host,
      verified: target.verified_at !== null,
      ports,
    };
  });
}

async function registerScheduledScan(
  client: Parameters<typeof insertScan>[0],
  input: BeginScanInput,
  target: TargetRow,
): Promise<ScanRow | undefined> {
  // The workflow id makes the registration idempotent: a retried activity finds the row it made.
  const idempotencyKey = `workflow:${input.workflowId}`;
  const inserted = await insertScan(client, {
    tenantId: input.tenantId,
    targetId: target.id,
    profile: input.profile,
    ports: input.ports ?? '',
    requestedBy: input.scheduleId ? `schedule:${input.scheduleId}` : 'workflow',
    scheduleId: input.scheduleId ?? null,
    idempotencyKey,
  });
  return inserted ?? findScanByIdempotencyKey(client, input.tenantId, idempotencyKey);
}

function portsFor(scope: string, profile: ScanRow['profile'], target: TargetRow): number[] {
  let ports: number[];
  try {
    ports = scope ? parsePortScope(scope) : [...PROFILE_PORTS[profile]];
  } catch (error) {
    throw ApplicationFailure.nonRetryable(
      `port scope "${scope}" is invalid: ${error instanceof Error ? error.message : String(error)}`,
      'InvalidPortScope',
    );
  }
  if (target.kind === 'url') {
    const url = new URL(target.value);
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    if (!ports.includes(port)) ports = [...ports, port].sort((a, b) => a - b);
  }
  return ports;
}
