import { type ReportInput } from './report-input';
import { sortedFilters } from './report-scope';

export interface Fact {
  label: string;
  value: string;
}

/**
 * The report header as label/value pairs of plain, unescaped text, so that the Markdown and
 * HTML renderers say the same things and each escapes them its own way.
 */
export function headerFacts(input: ReportInput): Fact[] {
  const facts: Fact[] = [
    { label: 'Tenant', value: `${input.tenant.name} (${input.tenant.slug})` },
    { label: 'Generated', value: input.generatedAt },
  ];
  const { scope } = input;
  if (scope.kind === 'scan') {
    facts.push(
      { label: 'Scope', value: 'One scan' },
      { label: 'Target', value: scope.target.value },
      { label: 'Scan', value: scope.scan.id },
      { label: 'Profile', value: scope.scan.profile },
      { label: 'Status', value: scope.scan.status },
      { label: 'Started', value: scope.scan.startedAt ?? 'not started' },
      { label: 'Finished', value: scope.scan.finishedAt ?? 'not finished' },
      {
        label: 'Open ports',
        value:
          scope.scan.openPorts.length > 0
            ? [...scope.scan.openPorts].sort((a, b) => a - b).join(', ')
            : 'none',
      },
    );
  } else {
    const filters = sortedFilters(scope.filters);
    facts.push({
      label: 'Scope',
      value:
        filters.length > 0
          ? `Findings matching ${filters.map(([key, value]) => `${key} = ${value}`).join('; ')}`
          : 'All findings',
    });
  }
  return facts;
}
