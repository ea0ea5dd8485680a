import type { DependencyCheck } from '@xorb/observability';

/** Both the client's Connection and the worker's NativeConnection expose this service. */
interface HasWorkflowService {
  workflowService: { getSystemInfo(request: object): Promise<unknown> };
}

export function temporalReadiness(connection: HasWorkflowService): DependencyCheck {
  return {
    name: 'temporal',
    async check() {
      await connection.workflowService.getSystemInfo({});
    },
  };
}
