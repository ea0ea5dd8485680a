/**
 * Orchestrator baseline: a Temporal worker with the minimal workflows of
 * temporal-workflows.ts (bundled with the SDK at start) and one no-op activity, on its
 * own task queue of the same Temporal server. Worker options are the SDK defaults, as
 * the orchestrator's are (apart from its heartbeat throttle and shutdown grace).
 *
 *   TEMPORAL_HOST, TEMPORAL_NAMESPACE (default "default"), BENCH_TASK_QUEUE
 */
import { bundleWorkflowCode, NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('./temporal-workflows'),
    logger: new DefaultLogger('WARN'),
  });
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_HOST as string });
  const worker = await Worker.create({
    connection,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: process.env.BENCH_TASK_QUEUE as string,
    workflowBundle: { code },
    activities: { noop: async (value: string) => value },
  });
  const stop = () => worker.shutdown();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  const running = worker.run();
  process.stdout.write(`${JSON.stringify({ event: 'ready' })}\n`);
  await running;
  await connection.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
