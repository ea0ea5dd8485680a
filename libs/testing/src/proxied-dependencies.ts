import { createTestDatabase, type TestDatabase } from './test-database';
import { TcpProxy } from './tcp-proxy';
import { testServices } from './test-services';

export type Dependency = 'postgres' | 'redis' | 'temporal';

/**
 * A fresh database plus the real PostgreSQL, Redis and Temporal, each reached
 * through its own TcpProxy, so a test can take one dependency away from the
 * service under test (and give it back) without disturbing other suites.
 */
export class ProxiedDependencies {
  private constructor(
    readonly database: TestDatabase,
    readonly proxies: Record<Dependency, TcpProxy>,
    /** Environment variables that point an XORB service at the proxies. */
    readonly env: Record<string, string>,
  ) {}

  static async start(): Promise<ProxiedDependencies> {
    const services = testServices();
    const database = await createTestDatabase();
    const proxies = {
      postgres: await TcpProxy.forUrl(database.url).start(),
      redis: await TcpProxy.forUrl(services.redisUrl).start(),
      temporal: await TcpProxy.forUrl(services.temporalAddress).start(),
    };
    const env = {
      DATABASE_URL: proxies.postgres.rewrite(database.url),
      REDIS_URL: proxies.redis.rewrite(services.redisUrl),
      TEMPORAL_HOST: proxies.temporal.rewrite(services.temporalAddress),
    };
    return new ProxiedDependencies(database, proxies, env);
  }

  cut(dependency: Dependency): Promise<void> {
    return this.proxies[dependency].cut();
  }

  restore(dependency: Dependency): Promise<void> {
    return this.proxies[dependency].restore();
  }

  async stop(): Promise<void> {
    await Promise.all(Object.values(this.proxies).map((proxy) => proxy.stop()));
    await this.database.drop();
  }
}
