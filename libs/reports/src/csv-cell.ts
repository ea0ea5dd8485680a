// Cells a spreadsheet would read as a formula (or as the start of one, after a tab or a
// carriage return): OWASP's CSV-injection list.
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One RFC 4180 field: quoted when it holds a comma, a quote or a line break, quotes inside
 * doubled. A cell that a spreadsheet would run as a formula gets a leading "'" first, so it
 * shows as text.
 */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One record; RFC 4180 ends every line, the last included, with CRLF. */
export function csvRecord(values: readonly string[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
