/**
 * Compares strings by UTF-16 code units. Unlike localeCompare it does not depend on the
 * machine's locale or ICU data, so sorted output is the same everywhere.
 */
export function compareCodeUnits(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
