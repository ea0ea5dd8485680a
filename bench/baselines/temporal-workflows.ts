// Orchestrator baseline workflows: deterministic, import-light, bundled with the SDK.
import { proxyActivities } from '@temporalio/workflow';

interface BaselineActivities {
  noop(value: string): Promise<string>;
}

const { noop } = proxyActivities<BaselineActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3 },
});

/** The minimal workflow: one activity that returns its input. */
export async function oneActivity(value: string): Promise<string> {
  return noop(value);
}

/** The scan's shape without its work: as many sequential no-op activities as a scan runs (8). */
export async function eightActivities(value: string): Promise<string> {
  let result = value;
  for (let step = 0; step < 8; step += 1) result = await noop(result);
  return result;
}
