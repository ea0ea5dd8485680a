import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { expect, it } from 'vitest';
import { WORKFLOW_TYPES, type PingWorkflowOutput } from '@xorb/contracts';
import { describeServiceContract, testServices } from '@xorb/testing';

describeServiceContract({
  app: 'orchestrator',
  portVariable: 'ORCHESTRATOR_PORT',
  dependencies: ['postgres', 'redis', 'temporal'],
  extra: (orchestrator) => {
    it('runs workflows from its task queue on the real Temporal server', async () => {
      const connection = await Connection.connect({ address: testServices().temporalAddress });
      try {
        const client = new Client({ connection, namespace: 'default' });
        const result = await client.workflow.execute<
          (input: { message: string }) => Promise<PingWorkflowOutput>
        >(WORKFLOW_TYPES.ping, {
          taskQueue: orchestrator().taskQueue,
          workflowId: `ping-${randomUUID()}`,
          args: [{ message: 'hello' }],
          workflowExecutionTimeout: '30s',
        });
        expect(result.message).toBe('hello');
        expect(result.handledBy).toMatch(new RegExp(`/${orchestrator().taskQueue}$`));
      } finally {
        await connection.close();
      }
    }, 60_000);
  },
});
