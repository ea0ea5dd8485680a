import { draftFinding } from '../finding-draft';
import { type CheckRule } from './check-rule';

const DISCLOSING_HEADERS = ['server', 'x-powered-by'] as const;
/** "nginx/1.18.0", "PHP/7.4", "Apache/2", "Microsoft-IIS/10.0", "Express 4.18": a version number. */
const VERSION = /\/\s*v?\d+|\bv?\d+\.\d+/i;

/** Server or X-Powered-By naming a version: one finding per header, so each can be fixed and tracked. */
export const versionDisclosureCheck: CheckRule = ({ http, port, address }, { hostname }) => {
  if (!http) return [];
  return DISCLOSING_HEADERS.flatMap((header) => {
    const value = http.headers[header];
    if (value === undefined || !VERSION.test(value)) return [];
    return [
      draftFinding('http.version-disclosure', {
        hostname,
        port,
        description: `${http.scheme}://${hostname}:${port}/ discloses its software version in the ${displayName(header)} header ("${value}"), which lets attackers match it against known vulnerabilities.`,
        evidence: { address, header: displayName(header), value },
        identity: { header },
      }),
    ];
  });
};

function displayName(header: (typeof DISCLOSING_HEADERS)[number]): string {
  return header === 'server' ? 'Server' : 'X-Powered-By';
}
