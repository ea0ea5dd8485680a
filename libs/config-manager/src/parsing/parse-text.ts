import { accept, refuse, type Parser } from './parse-result';

/** Non-empty text without white space, matching `pattern` when given (`expectation` explains the pattern). */
export function tokenText(
  options: { pattern?: RegExp; expectation?: string; maxLength?: number } = {},
): Parser<string> {
  const maxLength = options.maxLength ?? 255;
  return (raw) => {
    const text = raw.trim();
    if (text === '') return refuse('must not be empty');
    if (/\s/.test(text)) return refuse('must not contain white space');
    if (text.length > maxLength) return refuse(`must be at most ${maxLength} characters long`);
    if (options.pattern && !options.pattern.test(text))
      return refuse(options.expectation ?? 'has an invalid format');
    return accept(text);
  };
}

/** A file-system path (not checked for existence here). */
export const parsePath: Parser<string> = (raw) => {
  const text = raw.trim();
  return text === '' ? refuse('must be a file path') : accept(text);
};

/** Non-empty text meant for people (spaces allowed), trimmed, at most maxLength characters. */
export function displayText(options: { maxLength: number }): Parser<string> {
  return (raw) => {
    const text = raw.trim();
    if (text === '') return refuse('must not be empty');
    if (text.length > options.maxLength)
      return refuse(`must be at most ${options.maxLength} characters long`);
    return accept(text);
  };
}

/** A five-field cron expression (minute hour day-of-month month day-of-week); each field is checked by its scheduler. */
export const cronExpression: Parser<string> = (raw) => {
  const fields = raw.trim().split(/\s+/);
  if (fields.length !== 5 || !fields.every((field) => /^[\d*/,\-A-Za-z?]+$/.test(field))) {
    return refuse('must be a five-field cron expression, e.g. "15 3 * * *"');
  }
  return accept(fields.join(' '));
};
