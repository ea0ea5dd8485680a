import { type Bounds, type Endpoint } from './bounded-connection';
import { hostHeader, httpGet } from './http-exchange';
import { type HttpObservation } from './service-observation';

export interface HttpInspectionTarget extends Endpoint {
  hostname: string;
  scheme: 'http' | 'https';
}

export type HttpInspection =
  { kind: 'http'; observation: HttpObservation } | { kind: 'not-http'; reply: Buffer };

/** Small: `GET /` is read for its status and headers, not its page. */
const BODY_CAP_BYTES = 0;

/** `GET /` with Host = hostname, no redirect following; describes status, redirect and headers. */
export async function inspectHttp(target: HttpInspectionTarget, bounds: Bounds): Promise<HttpInspection> {
  const exchange = await httpGet({ ...target, path: '/' }, bounds, BODY_CAP_BYTES);
  if (exchange.kind === 'not-http') return exchange;
  const { status, headers } = exchange;
  const location = headers['location'];
  const isRedirect = status >= 300 && status < 400;
  const observation: HttpObservation = {
    scheme: target.scheme,
    status,
    redirectsToHttps:
      isRedirect && location !== undefined && redirectTargetScheme(location, target) === 'https:',
    headers,
  };
  if (location !== undefined) observation.location = location;
  if (headers['server'] !== undefined) observation.server = headers['server'];
  if (headers['x-powered-by'] !== undefined) observation.poweredBy = headers['x-powered-by'];
  return { kind: 'http', observation };
}

function redirectTargetScheme(location: string, target: HttpInspectionTarget): string | undefined {
  try {
    const base = `${target.scheme}://${hostHeader(target.hostname, target.port, target.scheme)}/`;
    return new URL(location, base).protocol;
  } catch {
    return undefined;
  }
}
