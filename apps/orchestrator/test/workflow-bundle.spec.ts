import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { WORKFLOW_TYPES, type PingWorkflowOutput } from '@xorb/contracts';
import { testServices } from '@xorb/testing';
import { echo } from '../src/activities/echo.activity';
import { workflowSource, writeWorkflowBundle } from '../src/workflow-source';

describe('prebuilt workflow bundle (the production path)', () => {
  it('is picked up when present and runs workflows on the real Temporal server', async () => {
    const directory = await mkdtemp(`${tmpdir()}/xorb-bundle-`);
    expect(workflowSource(directory)).toHaveProperty('workflowsPath');
    const path = await writeWorkflowBundle(directory);
    const source = workflowSource(directory);
    expect(source).toEqual({ workflowBundle: { codePath: path } });

    const taskQueue = `xorb-bundle-${randomUUID()}`;
    const connection = await NativeConnection.connect({ address: testServices().temporalAddress });
    try {
      const worker = await Worker.create({
        connection,
        taskQueue,
        activities: { echo },
        ...source,
      });
      const client = new Client({ connection });
      const result = await worker.runUntil(
        client.workflow.execute<(input: { message: string }) => Promise<PingWorkflowOutput>>(
          WORKFLOW_TYPES.ping,
          {
            taskQueue,
            workflowId: `bundle-${randomUUID()}`,
            args: [{ message: 'from the bundle' }],
          },
        ),
      );
      expect(result.message).toBe('from the bundle');
    } finally {
      await connection.close();
    }
  }, 90_000);
});
