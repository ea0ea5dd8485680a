import { compareCodeUnits } from './code-unit-order';
import { type ReportScope } from './report-input';

export type JsonReportScope =
  | {
      kind: 'scan';
      scan: {
        id: string;
        profile: string;
        status: string;
        startedAt: string | null;
        finishedAt: string | null;
        /** Ascending. */
        openPorts: number[];
      };
      target: { id: string; value: string; host: string };
    }
  | {
      kind: 'filters';
      /** Keys in code-unit order. */
      filters: Record<string, string>;
    };

/** The scope as JSON data (a copy, in a fixed order), for the JSON and SARIF reports. */
export function serializableScope(scope: ReportScope): JsonReportScope {
  if (scope.kind === 'filters') {
    return { kind: 'filters', filters: Object.fromEntries(sortedFilters(scope.filters)) };
  }
  return {
    kind: 'scan',
    scan: {
      id: scope.scan.id,
      profile: scope.scan.profile,
      status: scope.scan.status,
      startedAt: scope.scan.startedAt,
      finishedAt: scope.scan.finishedAt,
      openPorts: [...scope.scan.openPorts].sort((a, b) => a - b),
    },
    target: { id: scope.target.id, value: scope.target.value, host: scope.target.host },
  };
}

/** Filter entries in code-unit order of their keys. */
export function sortedFilters(filters: Record<string, string>): Array<[string, string]> {
  return Object.entries(filters).sort(([a], [b]) => compareCodeUnits(a, b));
}
