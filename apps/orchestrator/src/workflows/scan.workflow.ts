import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  defineQuery,
  isCancellation,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { ScanProgress, ScanWorkflowInput, ScanWorkflowResult } from '@xorb/contracts';
import type { OrchestratorActivities } from '../activities';
import { NON_RETRYABLE_SCAN_ERRORS } from '../activities/scan-errors';

export const progressQuery = defineQuery<ScanProgress>('progress');

/** Bookkeeping: fast, idempotent database writes. */
const records = proxyActivities<OrchestratorActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 10,
    nonRetryableErrorTypes: [...NON_RETRYABLE_SCAN_ERRORS],
  },
});

const resolution = proxyActivities<OrchestratorActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumAttempts: 3,
    nonRetryableErrorTypes: [...NON_RETRYABLE_SCAN_ERRORS],
  },
});

/** Long-running and heartbeating: a restarted orchestrator resumes it from its last heartbeat. */
const probing = proxyActivities<OrchestratorActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '15 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 20,
    nonRetryableErrorTypes: [...NON_RETRYABLE_SCAN_ERRORS],
  },
});

const analysis = proxyActivities<OrchestratorActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumAttempts: 5,
    nonRetryableErrorTypes: [...NON_RETRYABLE_SCAN_ERRORS],
  },
});

const delivery = proxyActivities<OrchestratorActivities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 20,
  },
});

/**
 * One scan of one target: resolve → probe ports → fingerprint → evaluate checks →
 * persist findings → notify. Deterministic: every side effect is an activity.
 */
export async function scan(input: ScanWorkflowInput): Promise<ScanWorkflowResult> {
  const state: ScanProgress = {
    scanId: input.scanId ?? '',
    phase: 'queued',
    progress: 0,
    portsScanned: 0,
    portsTotal: 0,
    openPorts: [],
  };
  setHandler(progressQuery, () => state);

  const plan = await records.beginScan({ ...input, workflowId: workflowInfo().workflowId });
  state.scanId = plan.scanId;
  state.portsTotal = plan.ports.length;
  const scope = { scanId: plan.scanId, tenantId: input.tenantId };

  try {
    state.phase = 'resolving';
    const { address } = await resolution.resolveTarget({
      ...scope,
      host: plan.host,
      verified: plan.verified,
    });

    state.phase = 'probing';
    state.progress = 5;
    const { openPorts } = await probing.probePorts({ ...scope, address, ports: plan.ports });
    state.openPorts = openPorts;
    state.portsScanned = plan.ports.length;

    state.phase = 'fingerprinting';
    state.progress = 80;
    const observations = await analysis.fingerprintServices({
      ...scope,
      address,
      hostname: plan.hostname,
      ports: openPorts,
    });

    state.phase = 'evaluating';
    state.progress = 88;
    const drafts = await analysis.evaluateChecks({ ...scope, hostname: plan.hostname, observations });

    state.phase = 'persisting';
    state.progress = 92;
    const counts = await records.persistFindings({ ...scope, targetId: input.targetId, drafts });

    state.phase = 'notifying';
    state.progress = 97;
    await delivery.notifyScanFinished({
      ...scope,
      status: 'completed',
      findingsNew: counts.findingsNew,
      findingsSeen: counts.findingsSeen,
    });

    state.phase = 'done';
    state.progress = 100;
    await records.finishScan({
      ...scope,
      status: 'completed',
      openPorts,
      findingsNew: counts.findingsNew,
      findingsSeen: counts.findingsSeen,
    });
    return { scanId: plan.scanId, status: 'completed', openPorts, ...counts };
  } catch (error) {
    const cancelled = isCancellation(error);
    await CancellationScope.nonCancellable(async () => {
      const reason = cancelled ? null : describeFailure(error);
      await records.finishScan({
        ...scope,
        status: cancelled ? 'cancelled' : 'failed',
        openPorts: state.openPorts,
        error: reason,
      });
      await delivery.notifyScanFinished({
        ...scope,
        status: cancelled ? 'cancelled' : 'failed',
        findingsNew: 0,
        findingsSeen: 0,
      });
    });
    throw error;
  }
}

function describeFailure(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) return cause.message;
  return cause instanceof Error ? cause.message : 'scan failed';
}
