import type { XorbConfig } from '@xorb/config-manager';
import type { Pool } from '@xorb/db';
import type { EmbeddingProvider } from '@xorb/embeddings';
import type { Logger } from '@xorb/observability';
import type { Producers } from '@xorb/queues';
import { Counter, type Registry } from 'prom-client';
import { echo } from './echo.activity';
import { evaluateScanChecks, type EvaluateChecksInput } from './evaluate-checks.activity';
import { fingerprintServices, type FingerprintInput } from './fingerprint.activity';
import { notifyScanFinished, type NotifyInput } from './notify.activity';
import { persistFindings, type PersistFindingsInput } from './persist-findings.activity';
import { probeScanPorts, type ProbePortsInput } from './probe-ports.activity';
import { resolveScanTarget, type ResolveInput } from './resolve.activity';
import { beginScan, type BeginScanInput } from './scan-plan.activity';
import { finishScan, type FinishScanInput } from './scan-records.activity';

export interface ActivityDependencies {
  config: XorbConfig;
  pool: Pool;
  producers: Producers;
  embedder: EmbeddingProvider | undefined;
  logger: Logger;
  registry: Registry;
}

/** Every activity the orchestrator registers, bound to its dependencies; workflows proxy this type. */
export function createActivities(deps: ActivityDependencies) {
  const { config, pool, producers, embedder, logger, registry } = deps;
  const findingsCounter = new Counter({
    name: 'xorb_findings_total',
    help: 'Findings written by scans, by severity and whether they were new or seen again',
    labelNames: ['severity', 'outcome'] as const,
    registers: [registry],
  });
  const workflows = new Counter({
    name: 'xorb_workflows_total',
    help: 'Scan workflows finished, by outcome',
    labelNames: ['workflow', 'outcome'] as const,
    registers: [registry],
  });
  return {
    echo,
    beginScan: (input: BeginScanInput) => beginScan(pool, input),
    resolveTarget: (input: ResolveInput) => resolveScanTarget(config.scanning, input),
    probePorts: (input: ProbePortsInput) => probeScanPorts(pool, config.scanning, input),
    fingerprintServices: (input: FingerprintInput) => fingerprintServices(config.scanning, input),
    evaluateChecks: (input: EvaluateChecksInput) => evaluateScanChecks(config.scanning, input),
    persistFindings: (input: PersistFindingsInput) =>
      persistFindings({ pool, embedder, logger, findingsCounter }, input),
    notifyScanFinished: (input: NotifyInput) => notifyScanFinished(pool, producers, input),
    finishScan: (input: FinishScanInput) => finishScan(pool, workflows, input),
  };
}
export type OrchestratorActivities = ReturnType<typeof createActivities>;
