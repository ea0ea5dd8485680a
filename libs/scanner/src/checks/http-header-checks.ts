import { type CheckId } from '../check-catalog';
import { draftFinding, type FindingDraft } from '../finding-draft';
import { type HttpObservation } from '../service-observation';
import { type CheckContext, type CheckRule } from './check-rule';

/**
 * HSTS (HTTPS only), Content-Security-Policy, X-Content-Type-Options and frame
 * protection. Redirect responses are only held to HSTS; Docker API ports are
 * reported as such, not as web pages.
 */
export const httpHeaderChecks: CheckRule = ({ http, dockerApi, port, address }, context) => {
  if (!http || dockerApi?.exposed) return [];
  const headers = http.headers;
  const page = pageUrl(http, port, context);
  const findings: FindingDraft[] = [];
  const report = (checkId: CheckId, description: string, present: Record<string, string>): void => {
    findings.push(
      draftFinding(checkId, {
        hostname: context.hostname,
        port,
        description,
        evidence: { address, url: page, status: http.status, ...present },
        identity: { scheme: http.scheme },
      }),
    );
  };

  if (http.scheme === 'https' && !hstsEnabled(headers['strict-transport-security'])) {
    report(
      'http.hsts-missing',
      `${page} does not send Strict-Transport-Security with a positive max-age, so browsers may be downgraded to plain HTTP.`,
      optional('strict-transport-security', headers),
    );
  }
  if (http.status >= 300 && http.status < 400) return findings;

  const csp = headers['content-security-policy'];
  if (csp === undefined) {
    report(
      'http.csp-missing',
      `${page} sends no Content-Security-Policy, so injected scripts and frames are not contained.`,
      optional('content-security-policy-report-only', headers),
    );
  }
  if (headers['x-content-type-options']?.trim().toLowerCase() !== 'nosniff') {
    report(
      'http.content-type-options-missing',
      `${page} does not send "X-Content-Type-Options: nosniff", so browsers may MIME-sniff responses into executable content.`,
      optional('x-content-type-options', headers),
    );
  }
  if (!framingRestricted(headers['x-frame-options'], csp)) {
    report(
      'http.frame-protection-missing',
      `${page} sets neither X-Frame-Options nor a CSP frame-ancestors directive, so any site can frame it (clickjacking).`,
      optional('x-frame-options', headers),
    );
  }
  return findings;
};

function pageUrl(http: HttpObservation, port: number, { hostname }: CheckContext): string {
  return `${http.scheme}://${hostname}:${port}/`;
}

function optional(name: string, headers: Record<string, string>): Record<string, string> {
  const value = headers[name];
  return value === undefined ? {} : { [name]: value };
}

function hstsEnabled(value: string | undefined): boolean {
  const maxAge = /(?:^|;)\s*max-age\s*=\s*"?(\d+)"?/i.exec(value ?? '');
  return maxAge !== null && Number(maxAge[1]) > 0;
}

function framingRestricted(frameOptions: string | undefined, csp: string | undefined): boolean {
  const option = frameOptions?.trim().toUpperCase();
  if (option === 'DENY' || option === 'SAMEORIGIN') return true;
  return csp !== undefined && /(?:^|;)\s*frame-ancestors\s/i.test(csp);
}
