/** Request headers as Node (`req.headers`), the Fetch API (`Headers`) or a plain object give them. */
export type HeaderSource =
  { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * A header's single value, looked up case-insensitively. A header sent more than once is
 * `undefined` (ambiguous), except where `join` says how to combine the values.
 */
export function readHeader(headers: HeaderSource, name: string, join?: string): string | undefined {
  if (typeof headers.get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const wanted = name.toLowerCase();
  const values: string[] = [];
  for (const [key, value] of Object.entries(
    headers as Record<string, string | readonly string[] | undefined>,
  )) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    values.push(...(typeof value === 'string' ? [value] : value));
  }
  if (values.length === 0) return undefined;
  if (values.length === 1) return values[0];
  return join === undefined ? undefined : values.join(join);
}
