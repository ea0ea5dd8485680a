import { draftFinding } from '../finding-draft';
import { type CheckRule } from './check-rule';

/** Plain HTTP that serves content instead of sending the client to HTTPS. */
export const httpTransportCheck: CheckRule = ({ http, dockerApi, port, address }, { hostname }) => {
  if (!http || http.scheme !== 'http' || http.redirectsToHttps || dockerApi?.exposed) return [];
  const redirect = http.location ? ` (it redirects to ${http.location}, which is not HTTPS)` : '';
  return [
    draftFinding('http.no-https-redirect', {
      hostname,
      port,
      description: `http://${hostname}:${port}/ answered ${http.status} over plain HTTP without redirecting to HTTPS${redirect}. Anything exchanged can be read and changed on the network.`,
      evidence: { address, status: http.status, ...(http.location ? { location: http.location } : {}) },
    }),
  ];
};
