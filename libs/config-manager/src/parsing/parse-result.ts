/**
 * What a parser answers: the typed value, or why the text was refused. A reason never repeats the
 * value (the caller decides whether the value may be shown), unless `namesValue` says it already
 * names the offending parts (list parsers name each bad entry).
 */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string; namesValue?: boolean };

export type Parser<T> = (raw: string) => ParseResult<T>;

export function accept<T>(value: T): ParseResult<T> {
  return { ok: true, value };
}

export function refuse(
  reason: string,
  namesValue = false,
): { ok: false; reason: string; namesValue: boolean } {
  return { ok: false, reason, namesValue };
}
