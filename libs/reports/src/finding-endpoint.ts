import { type ReportFinding, type ReportScope } from './report-input';

export interface FindingEndpoint {
  /** The host the finding was observed on: a name or an IP literal (IPv6 without brackets). */
  host: string;
  port: number | null;
  /**
   * For people: "host:port" ("[v6]:port"), followed by the target value in parentheses when
   * that is not simply the host (a URL target); the target value alone when there is no port.
   */
  label: string;
  /** A valid URI reference naming where the finding is: "tcp://host:port", or the target. */
  uri: string;
}

const SAFE_HOST = /^[A-Za-z0-9.-]+$/;
const IPV6_LITERAL = /^[0-9A-Fa-f:.]+$/;
const HAS_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * Where a finding lives. The host comes from the scanned target when the report is about a
 * scan (its resolved host), otherwise from the finding's target value (a host name, an IP
 * address, or an http(s) URL).
 */
export function findingEndpoint(finding: ReportFinding, scope: ReportScope): FindingEndpoint {
  const host =
    scope.kind === 'scan' && scope.target.id === finding.targetId
      ? scope.target.host
      : hostOfTargetValue(finding.targetValue);
  if (finding.port === null) {
    return { host, port: null, label: finding.targetValue, uri: targetValueUri(finding.targetValue) };
  }
  const hostPort = `${bracketed(host)}:${finding.port}`;
  const label = finding.targetValue === host ? hostPort : `${hostPort} (${finding.targetValue})`;
  return { host, port: finding.port, label, uri: `tcp://${uriHost(host)}:${finding.port}` };
}

function hostOfTargetValue(value: string): string {
  if (HAS_SCHEME.test(value)) {
    try {
      const hostname = new URL(value).hostname;
      return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
    } catch {
      return value;
    }
  }
  return value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
}

function bracketed(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The host as it must appear in a URI authority: bracketed IPv6, percent-encoded otherwise odd. */
function uriHost(host: string): string {
  if (SAFE_HOST.test(host)) return host;
  if (host.includes(':') && IPV6_LITERAL.test(host)) return `[${host}]`;
  return encodeURIComponent(host);
}

/**
 * An absolute http(s) URL target is used as it is (normalised by the URL parser); any other
 * value becomes a relative reference with everything outside the unreserved set
 * percent-encoded (":" too: a relative reference's first segment may not contain one).
 */
function targetValueUri(value: string): string {
  if (HAS_SCHEME.test(value)) {
    try {
      return new URL(value).href;
    } catch {
      // Not a parseable URL after all: encode it like any other value.
    }
  }
  return encodeURIComponent(value) || '.';
}
