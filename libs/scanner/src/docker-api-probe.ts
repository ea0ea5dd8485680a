import { type Bounds, type Endpoint } from './bounded-connection';
import { httpGet } from './http-exchange';
import { type DockerApiObservation } from './service-observation';

const MAX_BODY_BYTES = 16 * 1024;

/**
 * Plain-HTTP `GET /version`: the Docker Engine API answers it, unauthenticated,
 * with JSON carrying ApiVersion. Anything else means "not exposed here".
 */
export async function probeDockerApi(
  endpoint: Endpoint & { hostname: string },
  bounds: Bounds,
): Promise<DockerApiObservation> {
  const exchange = await httpGet({ ...endpoint, scheme: 'http', path: '/version' }, bounds, MAX_BODY_BYTES);
  if (exchange.kind !== 'http' || exchange.status !== 200) return { exposed: false };
  const version = parseJson(exchange.body.toString('utf8'));
  if (typeof version?.['ApiVersion'] !== 'string') return { exposed: false };
  return {
    exposed: true,
    apiVersion: version['ApiVersion'],
    ...(typeof version['Version'] === 'string' ? { version: version['Version'] } : {}),
  };
}

/** Whether an HTTP response carries the Docker daemon's own headers. */
export function looksLikeDockerApi(headers: Record<string, string>): boolean {
  return headers['api-version'] !== undefined || /^Docker\//i.test(headers['server'] ?? '');
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
