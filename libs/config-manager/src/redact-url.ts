export const REDACTED = '[redacted]';

/** Replaces the password of a URL (any scheme) with [redacted]; text that is not such a URL is returned unchanged. */
export function redactUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return text;
  }
  if (url.password === '') return text;
  url.password = REDACTED;
  return url.toString().replace(encodeURIComponent(REDACTED), REDACTED);
}
