import { canonicalize } from './canonical-json';
import { findingEndpoint } from './finding-endpoint';
import { orderFindings } from './finding-order';
import { type ReportToolIdentity } from './report-format';
import { type ReportFinding, type ReportInput } from './report-input';
import { serializableScope } from './report-scope';
import { sarifLevel } from './sarif-level';
import { SARIF_SCHEMA_URI, type SarifLog, type SarifResult } from './sarif-log';
import { sarifRules } from './sarif-rules';
import { XORB_TOOL_NAME } from './xorb-tool';

/** partialFingerprints key: XORB's own finding fingerprint, version 1 of its recipe. */
export const SARIF_FINGERPRINT_KEY = 'xorbFinding/v1';

/** A SARIF 2.1.0 log with one run: the check catalog as rules, one result per finding. */
export function buildSarifLog(input: ReportInput, tool: ReportToolIdentity): SarifLog {
  const findings = orderFindings(input.findings);
  const rules = sarifRules(input.checks, findings);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: XORB_TOOL_NAME,
            informationUri: tool.informationUri,
            semanticVersion: tool.semanticVersion,
            rules,
          },
        },
        results: findings.map((finding) => sarifResult(finding, ruleIndex.get(finding.checkId) ?? -1, input)),
        properties: {
          generatedAt: input.generatedAt,
          tenant: { id: input.tenant.id, slug: input.tenant.slug, name: input.tenant.name },
          scope: serializableScope(input.scope),
        },
      },
    ],
  };
}

export function renderSarifReport(input: ReportInput, tool: ReportToolIdentity): string {
  return `${JSON.stringify(buildSarifLog(input, tool), null, 2)}\n`;
}

function sarifResult(finding: ReportFinding, ruleIndex: number, input: ReportInput): SarifResult {
  const endpoint = findingEndpoint(finding, input.scope);
  return {
    ruleId: finding.checkId,
    ruleIndex,
    level: sarifLevel(finding.severity),
    message: { text: finding.description ? `${finding.title}: ${finding.description}` : finding.title },
    locations: [{ physicalLocation: { artifactLocation: { uri: endpoint.uri } } }],
    partialFingerprints: { [SARIF_FINGERPRINT_KEY]: finding.fingerprint },
    properties: {
      findingId: finding.id,
      severity: finding.severity,
      status: finding.status,
      cwe: finding.cwe,
      firstSeen: finding.firstSeen,
      lastSeen: finding.lastSeen,
      targetId: finding.targetId,
      target: finding.targetValue,
      port: finding.port,
      evidence: canonicalize(finding.evidence),
    },
  };
}
