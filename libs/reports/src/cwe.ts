const CWE_ID = /^CWE-(\d{1,6})$/i;

/** The number of a "CWE-298"-style identifier, or null when the text is not one. */
export function cweNumber(cwe: string): number | null {
  const match = CWE_ID.exec(cwe.trim());
  return match?.[1] === undefined ? null : Number(match[1]);
}

/** MITRE's page for the weakness; null when the text is not a CWE identifier. */
export function cweUrl(cwe: string): string | null {
  const n = cweNumber(cwe);
  return n === null ? null : `https://cwe.mitre.org/data/definitions/${n}.html`;
}
