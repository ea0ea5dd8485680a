import { insertScan, insertTarget, upsertFinding, type FindingUpsert, type Queryable } from '@xorb/db';
import { normalizeTarget } from '@xorb/scan-policy';

/** A target and one scan of it, written straight to the database for suites that need findings to exist. */
export async function seedTargetAndScan(
  client: Queryable,
  tenantId: string,
  value: string,
): Promise<{ targetId: string; scanId: string }> {
  const normalized = normalizeTarget(value);
  if (!normalized.ok) throw new Error(`seed target ${value}: ${normalized.reason}`);
  const target = await insertTarget(client, {
    tenantId,
    ...normalized.target,
    tags: [],
    ports: '',
    verificationToken: 'seeded',
    createdBy: 'test',
  });
  if (!target) throw new Error(`seed target ${value} already exists`);
  const scan = await insertScan(client, {
    tenantId,
    targetId: target.id,
    profile: 'quick',
    ports: '',
    requestedBy: 'test',
  });
  return { targetId: target.id, scanId: scan?.id as string };
}

/** A finding as a scan would persist it; fields not given get plausible values. */
export async function seedFinding(
  client: Queryable,
  finding: Pick<FindingUpsert, 'tenantId' | 'targetId' | 'scanId' | 'fingerprint'> & Partial<FindingUpsert>,
): Promise<string> {
  const { row } = await upsertFinding(client, {
    checkId: 'http.csp-missing',
    title: 'Content-Security-Policy missing',
    description: 'No Content-Security-Policy header on GET /',
    severity: 'low',
    cwe: 'CWE-693',
    remediation: 'Send a Content-Security-Policy header.',
    evidence: {},
    port: 443,
    embedding: null,
    embeddingModel: null,
    ...finding,
  });
  return row.id;
}
