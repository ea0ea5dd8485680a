import { z } from 'zod';

/**
 * Everything that crosses the api → Temporal → orchestrator boundary.
 * Workflow code imports this module, so it must stay deterministic and import-light.
 */
export const WORKFLOW_TYPES = {
  ping: 'ping',
  scan: 'scan',
} as const;

/** Query and signal names the workflows answer. */
export const SCAN_QUERIES = { progress: 'progress' } as const;

export const pingWorkflowInput = z.strictObject({
  message: z.string().min(1).max(200),
});
export type PingWorkflowInput = z.infer<typeof pingWorkflowInput>;

export const pingWorkflowOutput = z.strictObject({
  message: z.string(),
  handledBy: z.string(),
});
export type PingWorkflowOutput = z.infer<typeof pingWorkflowOutput>;

export const SCAN_PROFILES = ['quick', 'standard', 'thorough'] as const;
export const scanProfile = z.enum(SCAN_PROFILES);
export type ScanProfile = z.infer<typeof scanProfile>;

/**
 * Started by the API (scanId set: workflow id = scan id) or by a Temporal
 * Schedule (no scanId: the workflow registers its own scan row).
 */
export const scanWorkflowInput = z.strictObject({
  tenantId: z.uuid(),
  targetId: z.uuid(),
  profile: scanProfile,
  scanId: z.uuid().optional(),
  scheduleId: z.uuid().optional(),
  /** Port scope overriding the target's and the profile's ("22,80,8000-8100"). */
  ports: z.string().max(1000).optional(),
});
export type ScanWorkflowInput = z.infer<typeof scanWorkflowInput>;

export const SCAN_PHASES = [
  'queued',
  'resolving',
  'probing',
  'fingerprinting',
  'evaluating',
  'persisting',
  'notifying',
  'done',
] as const;
export type ScanPhase = (typeof SCAN_PHASES)[number];

export interface ScanProgress {
  scanId: string;
  phase: ScanPhase;
  /** 0-100 */
  progress: number;
  portsScanned: number;
  portsTotal: number;
  openPorts: number[];
}

export interface ScanWorkflowResult {
  scanId: string;
  status: 'completed' | 'cancelled' | 'failed';
  openPorts: number[];
  findingsNew: number;
  findingsSeen: number;
}
