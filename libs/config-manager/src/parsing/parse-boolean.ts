import { accept, refuse, type ParseResult } from './parse-result';

const TRUE_WORDS = new Set(['true', '1', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'no']);

/** Accepts true/false, 1/0 and yes/no, in any case. */
export function parseBoolean(raw: string): ParseResult<boolean> {
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return accept(true);
  if (FALSE_WORDS.has(word)) return accept(false);
  return refuse('must be a boolean: true/false, 1/0 or yes/no');
}
