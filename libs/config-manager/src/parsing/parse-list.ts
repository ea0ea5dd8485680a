import { redactUrl } from '../redact-url';
import { accept, refuse, type Parser } from './parse-result';

/** Splits a comma-separated list, drops empty entries and duplicates. */
export function splitList(raw: string): string[] {
  return [
    ...new Set(
      raw
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    ),
  ];
}

/** A comma-separated list whose every entry must parse; the reason names each bad entry. */
export function listOf<T>(parseEntry: Parser<T>): Parser<T[]> {
  return (raw) => {
    const values: T[] = [];
    const reasons: string[] = [];
    for (const entry of splitList(raw)) {
      const result = parseEntry(entry);
      if (result.ok) values.push(result.value);
      else reasons.push(`entry ${JSON.stringify(redactUrl(entry))} ${result.reason}`);
    }
    if (reasons.length > 0) return refuse(reasons.join('; '), true);
    return accept([...new Set(values)]);
  };
}
