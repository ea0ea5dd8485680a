const MAX_DETAIL_CHARS = 300;

/**
 * A short, single-line description of an error body: the `error.message` (OpenAI, Ollama,
 * NIM), `error` string (TEI) or `detail`/`message` field when the body is JSON, or the start
 * of the text otherwise. Every secret is replaced, in case the server echoes it back.
 */
export function describeErrorBody(body: string, secrets: readonly string[]): string {
  let detail = extractMessage(body) ?? body;
  for (const secret of secrets) {
    if (secret) detail = detail.split(secret).join('[redacted]');
  }
  detail = detail.replace(/\s+/g, ' ').trim();
  return detail.length > MAX_DETAIL_CHARS ? `${detail.slice(0, MAX_DETAIL_CHARS)}…` : detail;
}

function extractMessage(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  const { error } = parsed;
  if (typeof error === 'string') return error;
  if (isRecord(error) && typeof error['message'] === 'string') return error['message'];
  for (const key of ['detail', 'message']) {
    const value = parsed[key];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
