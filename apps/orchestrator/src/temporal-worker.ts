import { NativeConnection, Worker } from '@temporalio/worker';
import type { XorbConfig } from '@xorb/config-manager';
import type { Logger } from '@xorb/observability';
import type { OrchestratorActivities } from './activities';
import { workflowSource } from './workflow-source';

export interface TemporalWorkerHandle {
  connection: NativeConnection;
  worker: Worker;
}

/** Connects to TEMPORAL_HOST and creates the worker for the configured task queue. */
export async function createTemporalWorker(
  config: XorbConfig,
  logger: Logger,
  activities: OrchestratorActivities,
): Promise<TemporalWorkerHandle> {
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  try {
    const worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      activities,
      ...workflowSource(),
      // Checkpoints reach the server at least this often, so a retried probe resumes close to where it stopped.
      maxHeartbeatThrottleInterval: '2 seconds',
      shutdownGraceTime: `${Math.max(1, config.shutdown.graceSeconds - 2)}s`,
    });
    logger.info(
      { task_queue: config.temporal.taskQueue, namespace: config.temporal.namespace },
      'Temporal worker created',
    );
    return { connection, worker };
  } catch (error) {
    await connection.close();
    throw error;
  }
}
