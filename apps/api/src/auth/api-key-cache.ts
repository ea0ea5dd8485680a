import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { XorbConfig } from '@xorb/config-manager';
import { findApiKeyByPrefix, type ApiKeyRow, type Pool } from '@xorb/db';
import type { Logger } from '@xorb/observability';
import { closeRedis, createRedisConnection, type Redis } from '@xorb/redis';
import { Counter, type Registry } from 'prom-client';
import { CONFIG, LOGGER, METRICS_REGISTRY, PG_POOL, REDIS } from '../tokens';

/** Rows kept at most; past it the oldest entry goes (a Map iterates in insertion order). */
const MAX_ENTRIES = 10_000;

type LookupResult = 'hit' | 'miss' | 'bypass';

/**
 * API key rows by public prefix, kept for API_KEY_CACHE_TTL in this process, so most
 * requests authenticate without a database round trip. The caller still checks the
 * secret's hash, expiry and revocation against the row on every request.
 *
 * Revocation must not wait for the TTL: the revoking process drops the row at once
 * (revoked()) and publishes the prefix on a Redis channel every API process
 * subscribes to, and each drops it on receipt. A message missed is a row served
 * stale, so nothing is cached unless the subscription is confirmed: while it is down
 * (not yet subscribed, connection lost, reconnecting) every lookup goes to the
 * database ("bypass"), and losing it empties the cache. A lookup that was in flight
 * when an invalidation arrived does not store what it read.
 */
@Injectable()
export class ApiKeyCache implements OnModuleInit, OnModuleDestroy {
  private readonly ttlMs: number;
  private readonly channel: string;
  private readonly rows = new Map<string, { row: ApiKeyRow; storedAt: number }>();
  private readonly lookups: Counter<'result'>;
  private subscriber: Redis | undefined;
  /** True only while the channel subscription is confirmed on a ready connection. */
  private live = false;
  /** Moves on every invalidation and loss of the subscription: a lookup that saw it move keeps nothing. */
  private epoch = 0;
  /** Moves on every connection event, so a SUBSCRIBE answered for an older connection counts for nothing. */
  private connectionGeneration = 0;

  constructor(
    @Inject(CONFIG) private readonly config: XorbConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.ttlMs = config.security.apiKeyCacheTtlSeconds * 1000;
    this.channel = `${config.redis.keyPrefix}:api-key-events`;
    this.lookups = new Counter({
      name: 'api_key_cache_lookups_total',
      help: 'API key lookups by prefix: hit (served from this process), miss (read, then kept), bypass (read; the cache is off or its invalidation channel is down)',
      labelNames: ['result'],
      registers: [registry],
    });
    for (const result of ['hit', 'miss', 'bypass'] as const) this.lookups.inc({ result }, 0);
  }

  /** Whether rows are being kept right now (the TTL is on and the invalidation channel is up). */
  get active(): boolean {
    return this.ttlMs > 0 && this.live;
  }

  onModuleInit(): void {
    if (this.ttlMs <= 0) return;
    const subscriber = createRedisConnection(this.config.redis, {
      connectionName: 'xorb-api-key-events',
      logger: this.logger,
    });
    this.subscriber = subscriber;
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.onInvalidation(message);
    });
    subscriber.on('ready', () => void this.subscribe(subscriber));
    for (const event of ['close', 'reconnecting', 'end']) subscriber.on(event, () => this.subscriptionDown());
    if (subscriber.status === 'ready') void this.subscribe(subscriber);
  }

  async onModuleDestroy(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    this.subscriptionDown();
    if (subscriber) await closeRedis(subscriber).catch(() => subscriber.disconnect());
  }

  /** The row for this prefix, from this process when it may be, else from the database. */
  async lookup(prefix: string): Promise<ApiKeyRow | undefined> {
    if (!this.active) {
      this.count('bypass');
      return findApiKeyByPrefix(this.pool, prefix);
    }
    const cached = this.rows.get(prefix);
    if (cached && Date.now() - cached.storedAt < this.ttlMs) {
      this.count('hit');
      return cached.row;
    }
    this.count('miss');
    const epoch = this.epoch;
    const row = await findApiKeyByPrefix(this.pool, prefix);
    this.rows.delete(prefix);
    // Unknown prefixes are not kept: a key created a moment later must work at once.
    if (row && this.active && epoch === this.epoch) {
      if (this.rows.size >= MAX_ENTRIES) this.rows.delete(this.rows.keys().next().value as string);
      this.rows.set(prefix, { row, storedAt: Date.now() });
    }
    return row;
  }

  /**
   * After a key's revocation committed: drop it here at once and tell every other API
   * process. Resolves once Redis has handed the message to the subscribers.
   */
  async revoked(key: { prefix: string }): Promise<void> {
    this.drop(key.prefix);
    if (this.ttlMs <= 0) return;
    try {
      await this.redis.publish(this.channel, JSON.stringify({ prefix: key.prefix }));
    } catch (error) {
      // The revocation is committed; processes that missed this keep the row at most API_KEY_CACHE_TTL.
      this.logger.error(
        { error: error instanceof Error ? error.message : String(error), prefix: key.prefix },
        'Could not publish an API key revocation; other API processes may accept the key until their cache entry expires',
      );
    }
  }

  private onInvalidation(message: string): void {
    let prefix: unknown;
    try {
      prefix = (JSON.parse(message) as { prefix?: unknown }).prefix;
    } catch {
      prefix = undefined;
    }
    if (typeof prefix === 'string') this.drop(prefix);
    else {
      // Not ours to understand: be safe and forget everything.
      this.epoch += 1;
      this.rows.clear();
    }
  }

  private drop(prefix: string): void {
    this.epoch += 1;
    this.rows.delete(prefix);
  }

  private async subscribe(subscriber: Redis): Promise<void> {
    const generation = ++this.connectionGeneration;
    try {
      await subscriber.subscribe(this.channel);
    } catch (error) {
      this.logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'API key cache: could not subscribe to revocations; not caching until it can',
      );
      return;
    }
    if (
      generation === this.connectionGeneration &&
      subscriber.status === 'ready' &&
      this.subscriber === subscriber
    )
      this.live = true;
  }

  private subscriptionDown(): void {
    this.connectionGeneration += 1;
    this.live = false;
    this.epoch += 1;
    this.rows.clear();
  }

  private count(result: LookupResult): void {
    this.lookups.inc({ result });
  }
}
