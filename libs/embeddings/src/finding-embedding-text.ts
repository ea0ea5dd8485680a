/** The parts of a finding that its embedding describes. */
export interface FindingText {
  title: string;
  description: string;
  evidence?: Readonly<Record<string, unknown>> | null;
}

const MAX_EVIDENCE_CHARS = 1_000;

/**
 * The text embedded for a finding: title, description, then the evidence as `key: value`
 * lines. Keys are sorted (nested ones dotted), so the text is the same whether the evidence
 * comes from a fresh scan or back from a jsonb column (which reorders keys): the scan and
 * the backfill compute identical embeddings. Evidence is cut so it cannot drown the title.
 */
export function findingEmbeddingText(finding: FindingText): string {
  const lines = [finding.title.trim(), finding.description.trim()];
  const evidence = evidenceLines(finding.evidence ?? {}, '').join('\n');
  if (evidence)
    lines.push(evidence.length > MAX_EVIDENCE_CHARS ? evidence.slice(0, MAX_EVIDENCE_CHARS) : evidence);
  return lines.filter((line) => line.length > 0).join('\n');
}

function evidenceLines(record: Readonly<Record<string, unknown>>, prefix: string): string[] {
  const lines: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const value = record[key];
    const label = `${prefix}${humaniseKey(key)}`;
    if (isPlainRecord(value)) lines.push(...evidenceLines(value, `${label} `));
    else {
      const text = valueText(value);
      if (text) lines.push(`${label}: ${text}`);
    }
  }
  return lines;
}

/** `notAfter` → `not after`, `status_code` → `status code`. */
function humaniseKey(key: string): string {
  return key
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .replace(/[_]+/g, ' ')
    .toLowerCase();
}

/** A value as JSON storage would give it back: dates as ISO strings, object keys sorted. */
function valueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(valueText).filter(Boolean).join(', ');
  if (isPlainRecord(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => [humaniseKey(key), valueText(value[key])] as const)
      .filter(([, text]) => text.length > 0);
    return `{${entries.map(([key, text]) => `${key}: ${text}`).join('; ')}}`;
  }
  return String(value).replace(/\s+/g, ' ').trim();
}

function isPlainRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
