/**
 * Vector search: the latency of `similar` (k = 10: the API's FindingsService.similar
 * path, i.e. withTenant → the finding's embedding → nearestFindings over the HNSW index)
 * at p50 / p95, and its recall@10 against exact search (the same query with index
 * scans off: a sequential scan and sort), over 100k findings × 384 dimensions embedded
 * with LocalHashingEmbedder. Also the trade-off across hnsw.ef_search values (nearestFindings'
 * query run with each value, since nearestFindings sets its own), a small tenant (10k
 * findings) sharing the same index, and the query plans used.
 *
 * Loading: multi-row INSERTs (unnest) with the HNSW index dropped, then the index is
 * re-created from its own definition (the migration's), which is the fast way to build it.
 */
import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { findingEmbedding, nearestFindings, withTenant, type Pool } from '@xorb/db';
import { findingEmbeddingText, LocalHashingEmbedder } from '@xorb/embeddings';
import type { Area, AreaContext } from '../lib/area';
import { benchDatabase } from '../lib/env';
import { generateFindings, prng } from '../lib/findings-dataset';
import { seedTargets, seedTenant } from '../lib/seed';
import { percentile, sortedCopy } from '../lib/stats';
import { row, value, type Row } from '../lib/table';

const DIMENSIONS = 384;
const K = 10;
const BATCH = 1_000;
/** The hnsw.ef_search values of the trade-off rows (BENCH_EF_SEARCH="40,100,400" to choose others). */
const EF_SEARCH = (process.env.BENCH_EF_SEARCH ?? '40,64,100,200')
  .split(',')
  .map(Number)
  .filter((ef) => Number.isInteger(ef) && ef >= 1 && ef <= 1000);

/** pgvector text with 6 significant digits: a third of the bytes of full doubles, same search. */
function vectorLiteral(vector: readonly number[]): string {
  return `[${vector.map((x) => (x === 0 ? '0' : x.toPrecision(6))).join(',')}]`;
}

async function load(
  context: AreaContext,
  pool: Pool,
  tenantId: string,
  targetId: string,
  count: number,
  seed: number,
): Promise<void> {
  const embedder = new LocalHashingEmbedder({ dimensions: DIMENSIONS });
  const findings = generateFindings(count, seed);
  let pending: Promise<unknown> = Promise.resolve();
  for (let offset = 0; offset < count; offset += BATCH) {
    const batch = findings.slice(offset, offset + BATCH);
    // Embed this batch while PostgreSQL stores the previous one.
    const vectors = batch.map((finding) => vectorLiteral(embedder.embedOne(findingEmbeddingText(finding))));
    await pending;
    pending = pool.query(
      `INSERT INTO findings (tenant_id, target_id, fingerprint, check_id, title, description, severity, cwe,
                             remediation, evidence, port, embedding, embedding_model)
       SELECT $1, $2, f, c, t, d, s, w, r, e, p, v::vector, $12
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                     $10::jsonb[], $11::int[], $13::text[]) AS u(f, c, t, d, s, w, r, e, p, v)`,
      [
        tenantId,
        targetId,
        batch.map((f) => f.fingerprint),
        batch.map((f) => f.checkId),
        batch.map((f) => f.title),
        batch.map((f) => f.description),
        batch.map((f) => f.severity),
        batch.map((f) => f.cwe),
        batch.map((f) => f.remediation),
        batch.map((f) => JSON.stringify(f.evidence)),
        batch.map((f) => f.port),
        embedder.model,
        vectors,
      ],
    );
    if ((offset / BATCH) % 20 === 19) context.log(`  loaded ${offset + BATCH} of ${count}`);
  }
  await pending;
}

interface Probe {
  latencies: number[];
  results: Array<Array<{ id: string; distance: number }>>;
}

/** The columns nearestFindings returns (libs/db findings.repository), so the sweep reads as much as the API. */
const FINDING_COLUMNS = `id, tenant_id, target_id, fingerprint, check_id, title, description, severity, cwe, remediation, evidence, port,
  status, occurrences, first_seen, last_seen, first_scan_id, last_scan_id, embedding_model, created_at, updated_at`;

/**
 * How a probe searches: `api` calls nearestFindings exactly as FindingsService.similar does
 * (whatever hnsw settings it applies), after optional extra settings; `ef` runs the same
 * query with hnsw.ef_search set to a given value (nearestFindings sets its own, so the
 * sweep cannot go through it).
 */
type Search = { kind: 'api'; settings: readonly string[] } | { kind: 'ef'; ef: number };

async function nearestWithEf(
  client: PoolClient,
  tenantId: string,
  embedding: string,
  excludeId: string,
  ef: number,
): Promise<Array<{ id: string; distance: number }>> {
  await client.query('SET LOCAL hnsw.iterative_scan = relaxed_order');
  await client.query(`SET LOCAL hnsw.ef_search = ${Math.round(ef)}`);
  const { rows } = await client.query<{ id: string; distance: number }>(
    `SELECT * FROM (
       SELECT ${FINDING_COLUMNS}, embedding <=> $2::vector AS distance FROM findings
        WHERE tenant_id = $1 AND embedding IS NOT NULL AND ($4::uuid IS NULL OR id <> $4)
        ORDER BY embedding <=> $2::vector LIMIT $3
     ) nearest ORDER BY distance`,
    [tenantId, embedding, K, excludeId],
  );
  return rows;
}

/** One `similar` call inside withTenant, as FindingsService.similar makes it. */
async function similarOnce(
  pool: Pool,
  tenantId: string,
  id: string,
  search: Search,
): Promise<{ ms: number; items: Array<{ id: string; distance: number }> }> {
  const started = performance.now();
  const items = await withTenant(pool, tenantId, async (client: PoolClient) => {
    if (search.kind === 'api') for (const setting of search.settings) await client.query(setting);
    const embedding = await findingEmbedding(client, tenantId, id);
    if (!embedding) throw new Error(`finding ${id} has no embedding`);
    return search.kind === 'api'
      ? nearestFindings(client, tenantId, embedding, K, id)
      : nearestWithEf(client, tenantId, embedding, id, search.ef);
  });
  return {
    ms: performance.now() - started,
    items: items.map((item) => ({ id: item.id, distance: Number(item.distance) })),
  };
}

/** The hnsw.ef_search nearestFindings leaves in effect (it may set its own). */
async function apiEfSearch(pool: Pool, tenantId: string, id: string): Promise<string> {
  return withTenant(pool, tenantId, async (client: PoolClient) => {
    const embedding = await findingEmbedding(client, tenantId, id);
    await nearestFindings(client, tenantId, embedding ?? '[0]', K, id);
    const { rows } = await client.query<{ ef: string }>(`SELECT current_setting('hnsw.ef_search') AS ef`);
    return rows[0]?.ef ?? '?';
  });
}

/**
 * Runs every search for each query in turn (query 1: API, ef 40, ef 64…; query 2: ef 40, ef 64…,
 * API; …), so a burst of load from elsewhere on the machine falls on all of them alike. The
 * order rotates because the first search of a query pays for bringing its part of the graph
 * into the CPU caches.
 */
async function probeAll(
  pool: Pool,
  tenantId: string,
  queries: readonly string[],
  searches: readonly Search[],
): Promise<Probe[]> {
  const probes: Probe[] = searches.map(() => ({ latencies: [], results: [] }));
  for (const [queryIndex, id] of queries.entries()) {
    for (let step = 0; step < searches.length; step += 1) {
      const index = (queryIndex + step) % searches.length;
      const search = searches[index] as Search;
      const { ms, items } = await similarOnce(pool, tenantId, id, search);
      probes[index]?.latencies.push(ms);
      probes[index]?.results.push(items);
    }
  }
  return probes;
}

/**
 * recall@k against the exact answer, tie-aware: a returned neighbour counts when it is
 * in the exact top k or exactly as near as the exact k-th one.
 */
function recall(approximate: Probe, exact: Probe): number {
  let found = 0;
  let wanted = 0;
  approximate.results.forEach((result, index) => {
    const truth = exact.results[index] ?? [];
    const ids = new Set(truth.map((item) => item.id));
    const kth = truth.at(-1)?.distance ?? Number.POSITIVE_INFINITY;
    wanted += truth.length;
    found += result.filter((item) => ids.has(item.id) || item.distance <= kth + 1e-9).length;
  });
  return wanted === 0 ? Number.NaN : Math.min(found, wanted) / wanted;
}

function latency(probe: Probe): { p50: number; p95: number } {
  const sorted = sortedCopy(probe.latencies);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

/**
 * Exact search: the same query with plain index scans off, so the HNSW index (which
 * offers no bitmap scans) is never used; the planner may still find the tenant's rows
 * through the tenant btree index (a bitmap scan) before sorting by exact distance.
 */
const EXACT = ['SET LOCAL enable_indexscan = off'];

export const vectorArea: Area = async (context) => {
  const db = await benchDatabase();
  const rows: Row[] = [];
  const main = Math.round(100_000 * context.scale);
  const small = Math.round(10_000 * context.scale);
  const queryCount = 200;
  try {
    const { pool } = db;
    const big = await seedTenant(pool);
    const little = await seedTenant(pool);
    const [bigTarget] = await seedTargets(pool, big.tenantId, 1);
    const [littleTarget] = await seedTargets(pool, little.tenantId, 1);
    if (!bigTarget || !littleTarget) throw new Error('could not seed the targets');

    const { rows: indexes } = await pool.query<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE tablename = 'findings' AND indexname = 'findings_embedding_hnsw'`,
    );
    const migrated = indexes[0]?.indexdef;
    if (!migrated) throw new Error('the migrations did not create findings_embedding_hnsw');
    // BENCH_HNSW_WITH="m = 24, ef_construction = 128" builds the index with other parameters (trade-off runs).
    const indexDefinition = process.env.BENCH_HNSW_WITH
      ? `${migrated.replace(/\s+WITH \(.*\)\s*$/, '')} WITH (${process.env.BENCH_HNSW_WITH})`
      : migrated;
    await pool.query('DROP INDEX findings_embedding_hnsw');

    let started = performance.now();
    await load(context, pool, big.tenantId, bigTarget, main, 1);
    await load(context, pool, little.tenantId, littleTarget, small, 2);
    const loadSeconds = (performance.now() - started) / 1000;
    context.log(`  loaded ${main + small} findings in ${loadSeconds.toFixed(1)} s (embedding included)`);

    started = performance.now();
    const client = await pool.connect();
    try {
      await client.query(`SET maintenance_work_mem = '1GB'`);
      await client.query('SET statement_timeout = 0');
      await client.query(indexDefinition);
      await client.query('ANALYZE findings');
    } finally {
      client.release();
    }
    const indexSeconds = (performance.now() - started) / 1000;
    context.log(`  built ${indexDefinition.replace(/^CREATE INDEX /, '')} in ${indexSeconds.toFixed(1)} s`);

    const pickQueries = async (tenantId: string, seed: number): Promise<string[]> => {
      const { rows: ids } = await pool.query<{ id: string }>(
        'SELECT id FROM findings WHERE tenant_id = $1 ORDER BY id',
        [tenantId],
      );
      const random = prng(seed);
      return Array.from(
        { length: queryCount },
        () => ids[Math.floor(random() * ids.length)]?.id ?? randomUUID(),
      );
    };

    for (const [label, tenant, seed] of [
      [`${main.toLocaleString('en-US')} findings`, big, 7],
      [`a ${small.toLocaleString('en-US')}-finding tenant sharing the index`, little, 8],
    ] as const) {
      const queries = await pickQueries(tenant.tenantId, seed);
      // Warm the index and table pages into memory, as a serving database has them.
      const asTheApi: Search = { kind: 'api', settings: [] };
      const exactSearch: Search = { kind: 'api', settings: EXACT };
      await probeAll(pool, tenant.tenantId, queries.slice(0, 50), [asTheApi]);
      await probeAll(pool, tenant.tenantId, queries.slice(0, 5), [exactSearch]);
      // Exact answers first, on their own: each is a (parallel) scan of the whole table, which would
      // disturb the approximate queries running right after it.
      const [exact] = await probeAll(pool, tenant.tenantId, queries, [exactSearch]);
      if (!exact) throw new Error('no exact results');
      const [api, ...approximations] = await probeAll(pool, tenant.tenantId, queries, [
        asTheApi,
        ...EF_SEARCH.map((ef): Search => ({ kind: 'ef', ef })),
      ]);
      if (!api) throw new Error('no results');
      const apiEf = await apiEfSearch(pool, tenant.tenantId, queries[0] as string);
      const exactLatency = latency(exact);
      // The plans of nearestFindings' query (as the API sends it: the vector as a parameter).
      const plan = async (settings: string[]) =>
        withTenant(pool, tenant.tenantId, async (client: PoolClient) => {
          await client.query('SET LOCAL hnsw.iterative_scan = relaxed_order');
          for (const setting of settings) await client.query(setting);
          const embedding = await findingEmbedding(client, tenant.tenantId, queries[0] as string);
          const { rows: lines } = await client.query<{ 'QUERY PLAN': string }>(
            `EXPLAIN SELECT id, embedding <=> $2::vector AS distance FROM findings
              WHERE tenant_id = $1 AND embedding IS NOT NULL AND ($4::uuid IS NULL OR id <> $4)
              ORDER BY embedding <=> $2::vector LIMIT $3`,
            [tenant.tenantId, embedding, K, queries[0]],
          );
          return lines
            .map((line) =>
              line['QUERY PLAN']
                .trim()
                .replace(/^->\s*/, '')
                .replace(/\s+\(cost=.*$/, ''),
            )
            .filter((line) => /Scan|Sort|Limit/.test(line) && !line.startsWith('Sort Key'))
            .join(' → ');
        });
      const plans = { approximate: await plan([]), exact: await plan(EXACT) };
      context.log(`  ${label}: plan ${plans.approximate}; exact plan ${plans.exact}`);
      context.log(
        `  ${label}: exact p50 ${exactLatency.p50.toFixed(1)} ms / p95 ${exactLatency.p95.toFixed(1)} ms`,
      );
      const goal = (p95: number, r: number) => ({
        text: 'p95 ≤ 10 ms at recall@10 ≥ 0.95',
        met: p95 <= 10 && r >= 0.95,
      });
      const apiLatency = latency(api);
      const apiRecall = recall(api, exact);
      context.log(
        `  ${label}, as the API runs it (ef_search ${apiEf}): p50 ${apiLatency.p50.toFixed(2)} ms, p95 ${apiLatency.p95.toFixed(2)} ms, recall@10 ${apiRecall.toFixed(3)}`,
      );
      rows.push(
        row({
          area: 'vector',
          scenario: `similar k=10 over ${label}, as the API runs it (nearestFindings: hnsw.ef_search ${apiEf}): p95 latency`,
          measured: value(apiLatency.p95, 'ms', 2),
          baseline: value(exactLatency.p95, 'ms', 1),
          goal: goal(apiLatency.p95, apiRecall),
          note: `recall@10 ${apiRecall.toFixed(3)}; p50 ${apiLatency.p50.toFixed(2)} ms (exact ${exactLatency.p50.toFixed(1)} ms); ${queryCount} queries; plan: ${plans.approximate}; exact: ${plans.exact}`,
        }),
      );
      for (const [index, ef] of EF_SEARCH.entries()) {
        const approximate = approximations[index];
        if (!approximate) continue;
        const { p50, p95 } = latency(approximate);
        const r = recall(approximate, exact);
        context.log(
          `  ${label}, ef_search ${ef}: p50 ${p50.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, recall@10 ${r.toFixed(3)}`,
        );
        rows.push(
          row({
            area: 'vector',
            scenario: `similar k=10 over ${label}, nearestFindings' query with hnsw.ef_search ${ef}${ef === 40 ? ' (pgvector default)' : ''}: p95 latency`,
            measured: value(p95, 'ms', 2),
            baseline: value(exactLatency.p95, 'ms', 1),
            goal: goal(p95, r),
            note: `recall@10 ${r.toFixed(3)}; p50 ${p50.toFixed(2)} ms`,
          }),
        );
      }
    }
    rows.push(
      row({
        area: 'vector',
        scenario: `set-up: embed and INSERT ${(main + small).toLocaleString('en-US')} findings (informational)`,
        measured: value(loadSeconds, 's', 1),
      }),
      row({
        area: 'vector',
        scenario: 'set-up: build the HNSW index (informational)',
        measured: value(indexSeconds, 's', 1),
      }),
    );
  } finally {
    await db.close();
  }
  return rows;
};
