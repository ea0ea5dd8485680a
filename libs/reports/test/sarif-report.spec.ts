import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TOOL_IDENTITY,
  renderReport,
  SARIF_FINGERPRINT_KEY,
  SARIF_SCHEMA_URI,
  type RenderOptions,
  type ReportInput,
  type SarifLog,
} from '../src/index';
import { filtersReportInput, finding, scanReportInput } from './report-fixture';
import { sarifSchemaErrors } from './sarif-validator';

function sarif(input: ReportInput, options?: RenderOptions): SarifLog {
  return JSON.parse(renderReport(input, 'sarif', options).content.toString('utf8')) as SarifLog;
}

function onlyRun(log: SarifLog): SarifLog['runs'][number] {
  expect(log.runs).toHaveLength(1);
  const [run] = log.runs;
  if (run === undefined) throw new Error('no run');
  return run;
}

describe('SARIF report', () => {
  it.each([
    ['a scan with findings of every severity', scanReportInput()],
    ['findings across IPv6, URL and portless targets', filtersReportInput()],
    ['an empty findings list', { ...scanReportInput(), findings: [] }],
    [
      'hostile strings',
      {
        ...scanReportInput(),
        findings: [
          finding({
            id: 'x',
            title: '<script>alert(1)</script>',
            targetValue: 'bad host/with spaces?&#',
            targetId: 'elsewhere',
            port: null,
            cwe: 'not-a-cwe',
            checkId: 'weird id with spaces',
            evidence: { '"><img src=x onerror=alert(1)>': [1, null, { nested: true }] },
          }),
          finding({ id: 'y', targetValue: 'bad host', targetId: 'elsewhere', port: 8080, description: '' }),
        ],
      },
    ],
  ])('is valid SARIF 2.1.0 (schema) for %s', (_name, input) => {
    expect(sarifSchemaErrors(sarif(input))).toEqual([]);
  });

  it('the validator does reject invalid logs', () => {
    const log = sarif(scanReportInput()) as unknown as {
      version: string;
      runs: Array<{ results: Array<Record<string, unknown>>; tool: { driver: Record<string, unknown> } }>;
    };
    const broken = structuredClone(log);
    broken.version = '2.0.0';
    const run = broken.runs[0];
    if (run === undefined) throw new Error('no run');
    run.results[0] = { ...run.results[0], level: 'critical' };
    delete run.results[1]?.message;
    run.results[2] = { ...run.results[2], locations: [{ physicalLocation: {} }] };
    run.results[3] = { ...run.results[3], unknownProperty: 1 };
    run.tool.driver.informationUri = 'not a uri';
    const errors = sarifSchemaErrors(broken).join('\n');
    expect(errors).toContain('.version');
    expect(errors).toContain('.runs[0].results[0].level');
    expect(errors).toContain(".runs[0].results[1]: should have required property 'message'");
    expect(errors).toContain(
      ".runs[0].results[2].locations[0].physicalLocation: should have required property 'artifactLocation'",
    );
    expect(errors).toContain('.runs[0].results[3]: should NOT have additional properties');
    expect(errors).toContain('.runs[0].tool.driver.informationUri: should match format "uri"');
  });

  it('declares the schema, version and tool', () => {
    const log = sarif(scanReportInput());
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(SARIF_SCHEMA_URI).toBe(log.$schema);
    expect(log.version).toBe('2.1.0');
    const { driver } = onlyRun(log).tool;
    expect(driver.name).toBe('XORB');
    expect(driver.semanticVersion).toBe(DEFAULT_TOOL_IDENTITY.semanticVersion);
    expect(driver.informationUri).toBe(DEFAULT_TOOL_IDENTITY.informationUri);
    const custom = onlyRun(
      sarif(scanReportInput(), {
        tool: { semanticVersion: '1.4.2', informationUri: 'https://xorb.acme.example/docs' },
      }),
    ).tool.driver;
    expect([custom.semanticVersion, custom.informationUri]).toEqual([
      '1.4.2',
      'https://xorb.acme.example/docs',
    ]);
  });

  it('makes a rule of every check in the catalog, and of checks findings cite that it lacks', () => {
    const input = scanReportInput();
    const { rules } = onlyRun(sarif(input)).tool.driver;
    const catalogIds = Object.keys(input.checks).sort();
    expect(rules.map((rule) => rule.id)).toEqual([...catalogIds, 'service.ssh-exposed']);
    const redis = rules.find((rule) => rule.id === 'redis.unauthenticated');
    expect(redis).toEqual({
      id: 'redis.unauthenticated',
      name: 'RedisUnauthenticated',
      shortDescription: { text: 'Redis accessible without authentication' },
      fullDescription: {
        text: 'Redis answers PING without a password: anyone who can reach it can read and change data.',
      },
      help: {
        text: 'Require authentication (ACL users or requirepass), bind Redis to private interfaces only, and firewall the port from the internet.',
      },
      helpUri: 'https://cwe.mitre.org/data/definitions/306.html',
      defaultConfiguration: { level: 'error' },
      properties: {
        tags: ['security', 'CWE-306', 'external/cwe/cwe-306'],
        'security-severity': '9.5',
        severity: 'critical',
        cwe: 'CWE-306',
      },
    });
    const levels = Object.fromEntries(rules.map((rule) => [rule.id, rule.defaultConfiguration.level]));
    expect(levels).toMatchObject({
      'docker.api-exposed': 'error', // critical
      'plaintext.telnet': 'error', // high
      'tls.certificate-self-signed': 'warning', // medium
      'http.hsts-missing': 'note', // low
      'service.ssh-exposed': 'note', // info
    });
  });

  it('writes one result per finding with rule, level, message, location, fingerprint and properties', () => {
    const run = onlyRun(sarif(scanReportInput()));
    const { rules } = run.tool.driver;
    expect(run.results.map((result) => [result.ruleId, result.level])).toEqual([
      ['redis.unauthenticated', 'error'],
      ['plaintext.telnet', 'error'],
      ['tls.certificate-self-signed', 'warning'],
      ['tls.legacy-protocol-accepted', 'warning'],
      ['http.hsts-missing', 'note'],
      ['http.version-disclosure', 'note'],
      ['service.ssh-exposed', 'note'],
    ]);
    for (const result of run.results) expect(rules[result.ruleIndex]?.id).toBe(result.ruleId);
    const [redis] = run.results;
    expect(redis).toEqual({
      ruleId: 'redis.unauthenticated',
      ruleIndex: rules.findIndex((rule) => rule.id === 'redis.unauthenticated'),
      level: 'error',
      message: {
        text: 'Redis accessible without authentication: Redis on port 6379 answered PING with +PONG without authentication.',
      },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'tcp://shop.acme.example:6379' } } }],
      partialFingerprints: { 'xorbFinding/v1': 'fp-redis-6379' },
      properties: {
        findingId: 'fnd_01',
        severity: 'critical',
        status: 'open',
        cwe: 'CWE-306',
        firstSeen: '2026-01-10T08:00:00.000Z',
        lastSeen: '2026-01-15T10:04:00.000Z',
        targetId: 'tgt_1',
        target: 'shop.acme.example',
        port: 6379,
        evidence: {
          address: '192.0.2.10:6379',
          info: { mode: 'standalone', redis_version: '7.2.4' },
          reply: '+PONG',
        },
      },
    });
    expect(SARIF_FINGERPRINT_KEY).toBe('xorbFinding/v1');
    expect(run.results.map((result) => result.properties.status)).toEqual([
      'open',
      'open',
      'acknowledged',
      'resolved',
      'open',
      'false_positive',
      'open',
    ]);
  });

  it('locates findings as tcp://host:port, bracketing IPv6, or by the target value without a port', () => {
    const run = onlyRun(sarif(filtersReportInput()));
    expect(run.results.map((result) => result.locations[0]?.physicalLocation.artifactLocation.uri)).toEqual([
      'tcp://[2001:db8::10]:21',
      '2001%3Adb8%3A%3A20',
      'tcp://portal.acme.example:21',
    ]);
    const urlOnly = onlyRun(
      sarif({
        ...filtersReportInput(),
        findings: [finding({ id: 'u', targetValue: 'https://portal.acme.example/app?x=1', port: null })],
      }),
    );
    expect(urlOnly.results[0]?.locations[0]?.physicalLocation.artifactLocation.uri).toBe(
      'https://portal.acme.example/app?x=1',
    );
  });

  it('records the report context on the run', () => {
    const run = onlyRun(sarif(filtersReportInput()));
    expect(run.properties).toEqual({
      generatedAt: '2026-02-01T00:00:00.000Z',
      tenant: { id: 'ten_01HZX4', slug: 'acme', name: 'Acme Corp' },
      scope: { kind: 'filters', filters: { checkId: 'plaintext.ftp', severity: 'high', status: 'open' } },
    });
  });

  it('has an empty results array, and still the rules, when there are no findings', () => {
    const run = onlyRun(sarif({ ...scanReportInput(), findings: [] }));
    expect(run.results).toEqual([]);
    expect(run.tool.driver.rules.length).toBe(Object.keys(scanReportInput().checks).length);
  });
});
