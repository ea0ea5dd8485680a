import { z } from 'zod';

/**
 * Everything that crosses the api → Temporal → orchestrator boundary.
 * Workflow code imports this module, so it must stay deterministic and import-light.
 */
export const WORKFLOW_TYPES = {
  ping: 'ping',
} as const;

export const pingWorkflowInput = z.strictObject({
  message: z.string().min(1).max(200),
});
export type PingWorkflowInput = z.infer<typeof pingWorkflowInput>;

export const pingWorkflowOutput = z.strictObject({
  message: z.string(),
  handledBy: z.string(),
});
export type PingWorkflowOutput = z.infer<typeof pingWorkflowOutput>;
