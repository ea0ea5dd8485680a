import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertScan, insertTarget, upsertFinding, withTenant, type Severity } from '@xorb/db';
import { findingEmbeddingText, LocalHashingEmbedder, toPgVector } from '@xorb/embeddings';
import { ApiFixture, type SeededTenant } from './support/api-fixture';

interface Finding {
  id: string;
  title: string;
  status: string;
  similarity?: number;
  occurrences: number;
}

const embedder = new LocalHashingEmbedder({ dimensions: 384 });

const CORPUS: Array<{ checkId: string; title: string; description: string; severity: Severity }> = [
  {
    checkId: 'tls.certificate-expiring',
    title: 'TLS certificate expiring soon',
    description: 'The certificate for shop.example expires in 5 days.',
    severity: 'medium',
  },
  {
    checkId: 'tls.certificate-expiring',
    title: 'TLS certificate expiring soon',
    description: 'The certificate for api.example expires in 9 days.',
    severity: 'medium',
  },
  {
    checkId: 'tls.certificate-expired',
    title: 'TLS certificate expired',
    description: 'The certificate for old.example expired 3 days ago.',
    severity: 'high',
  },
  {
    checkId: 'redis.unauthenticated',
    title: 'Redis answers without authentication',
    description: 'PING on port 6379 answered +PONG without a password.',
    severity: 'critical',
  },
  {
    checkId: 'http.csp-missing',
    title: 'Content-Security-Policy missing',
    description: 'The response to GET / has no Content-Security-Policy header.',
    severity: 'low',
  },
];

describe('findings', () => {
  let api: ApiFixture;
  let alpha: SeededTenant;
  let beta: SeededTenant;
  const ids: Record<'alpha' | 'beta', string[]> = { alpha: [], beta: [] };
  let scanIds: Record<'alpha' | 'beta', string>;
  let targetIds: Record<'alpha' | 'beta', string>;

  /** Writes findings the way the scan's persist activity does: upsert by fingerprint, with embeddings. */
  async function persist(
    tenant: SeededTenant,
    name: 'alpha' | 'beta',
    scanId: string,
    items: typeof CORPUS,
  ): Promise<string[]> {
    const vectors = await embedder.embed(
      items.map((item) => findingEmbeddingText({ ...item, evidence: {} })),
    );
    return withTenant(api.pool, tenant.id, async (client) => {
      const written: string[] = [];
      for (const [index, item] of items.entries()) {
        const { row } = await upsertFinding(client, {
          tenantId: tenant.id,
          targetId: targetIds[name],
          scanId,
          fingerprint: `${name}-${item.checkId}-${item.description}`,
          checkId: item.checkId,
          title: item.title,
          description: item.description,
          severity: item.severity,
          cwe: 'CWE-298',
          remediation: 'Renew the certificate and automate renewal.',
          evidence: {},
          port: 443,
          embedding: toPgVector(vectors[index] as number[]),
          embeddingModel: embedder.model ?? embedder.name,
        });
        written.push(row.id);
      }
      return written;
    });
  }

  async function seed(tenant: SeededTenant, name: 'alpha' | 'beta'): Promise<void> {
    await withTenant(api.pool, tenant.id, async (client) => {
      const target = await insertTarget(client, {
        tenantId: tenant.id,
        kind: 'hostname',
        value: `${name}.example`,
        host: `${name}.example`,
        tags: [],
        ports: '',
        verificationToken: 't',
        createdBy: 'test',
      });
      targetIds = { ...targetIds, [name]: target?.id as string };
      const scan = await insertScan(client, {
        tenantId: tenant.id,
        targetId: target?.id as string,
        profile: 'quick',
        ports: '',
        requestedBy: 'test',
      });
      scanIds = { ...scanIds, [name]: scan?.id as string };
    });
    ids[name] = await persist(tenant, name, scanIds[name], CORPUS);
  }

  beforeAll(async () => {
    api = await ApiFixture.start();
    alpha = await api.seedTenant();
    beta = await api.seedTenant();
    await seed(alpha, 'alpha');
    await seed(beta, 'beta');
  });
  afterAll(() => api?.stop());

  it('lists and filters the tenant’s findings', async () => {
    const all = await api.request('GET', '/api/v1/findings', { key: alpha.keys.viewer });
    expect(
      all
        .json<{ items: Finding[] }>()
        .items.map((item) => item.id)
        .sort(),
    ).toEqual([...ids.alpha].sort());
    const critical = await api.request('GET', '/api/v1/findings?severity=critical', {
      key: alpha.keys.viewer,
    });
    expect(critical.json<{ items: Finding[] }>().items.map((item) => item.title)).toEqual([
      'Redis answers without authentication',
    ]);
  });

  it('finds similar findings within the tenant, nearest first, never another tenant’s', async () => {
    const response = await api.request('GET', `/api/v1/findings/${ids.alpha[0]}/similar?k=3`, {
      key: alpha.keys.viewer,
    });
    expect(response.status, response.body).toBe(200);
    const items = response.json<{ items: Finding[] }>().items;
    expect(items).toHaveLength(3);
    expect(items[0]?.id).toBe(ids.alpha[1]);
    expect(items.map((item) => item.id)).not.toContain(ids.alpha[0]);
    for (const item of items) expect(ids.alpha).toContain(item.id);
    expect((items[0]?.similarity ?? 0) >= (items[1]?.similarity ?? 0)).toBe(true);
    const cross = await api.request('GET', `/api/v1/findings/${ids.beta[0]}/similar`, {
      key: alpha.keys.viewer,
    });
    expect(cross.status).toBe(404);
  });

  it('searches by meaning', async () => {
    const response = await api.request('POST', '/api/v1/findings/search', {
      key: beta.keys.viewer,
      body: { query: 'redis without password', k: 2 },
    });
    expect(response.status, response.body).toBe(200);
    const items = response.json<{ items: Finding[] }>().items;
    expect(items[0]?.title).toBe('Redis answers without authentication');
    for (const item of items) expect(ids.beta).toContain(item.id);
  });

  it('changes status, audits it, and reopens a resolved finding that is seen again', async () => {
    const id = ids.alpha[3] as string;
    const resolved = await api.request('PATCH', `/api/v1/findings/${id}`, {
      key: alpha.keys.analyst,
      body: { status: 'resolved' },
    });
    expect(resolved.json()).toMatchObject({ status: 'resolved' });
    expect(
      (
        await api.request('PATCH', `/api/v1/findings/${id}`, {
          key: alpha.keys.viewer,
          body: { status: 'open' },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await api.request('PATCH', `/api/v1/findings/${id}`, {
          key: alpha.keys.analyst,
          body: { status: 'fixed' },
        })
      ).status,
    ).toBe(400);

    const nextScan = await withTenant(api.pool, alpha.id, (client) =>
      insertScan(client, {
        tenantId: alpha.id,
        targetId: targetIds.alpha,
        profile: 'quick',
        ports: '',
        requestedBy: 'test',
      }),
    );
    await persist(alpha, 'alpha', nextScan?.id as string, [CORPUS[3] as (typeof CORPUS)[number]]);
    const reopened = (
      await api.request('GET', `/api/v1/findings/${id}`, { key: alpha.keys.viewer })
    ).json<Finding>();
    expect(reopened).toMatchObject({ status: 'open', occurrences: 2 });
    const audit = await api.request('GET', '/api/v1/audit?resource_type=finding', { key: alpha.keys.admin });
    expect(audit.json<{ items: Array<{ details: Record<string, string> }> }>().items[0]?.details).toEqual({
      from: 'open',
      to: 'resolved',
    });
  });

  it('answers 409 for a finding without an embedding, and 404 for an unknown one', async () => {
    const bare = await withTenant(api.pool, alpha.id, (client) =>
      upsertFinding(client, {
        tenantId: alpha.id,
        targetId: targetIds.alpha,
        scanId: scanIds.alpha,
        fingerprint: `bare-${randomUUID()}`,
        checkId: 'http.csp-missing',
        title: 't',
        description: 'd',
        severity: 'low',
        cwe: 'CWE-693',
        remediation: 'r',
        evidence: {},
        port: 80,
        embedding: null,
        embeddingModel: null,
      }),
    );
    expect(
      (await api.request('GET', `/api/v1/findings/${bare.row.id}/similar`, { key: alpha.keys.viewer }))
        .status,
    ).toBe(409);
    expect(
      (await api.request('GET', `/api/v1/findings/${randomUUID()}/similar`, { key: alpha.keys.viewer }))
        .status,
    ).toBe(404);
  });
});
