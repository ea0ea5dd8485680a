import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { PingWorkflowInput, PingWorkflowOutput } from '@xorb/contracts';
import type { OrchestratorActivities } from '../activities';

const { echo } = proxyActivities<OrchestratorActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3 },
});

/** End-to-end liveness of the scan pipeline: workflow → activity → result. */
export async function ping(input: PingWorkflowInput): Promise<PingWorkflowOutput> {
  const answer = await echo(input.message);
  return { message: answer.message, handledBy: `${answer.handledBy}/${workflowInfo().taskQueue}` };
}
