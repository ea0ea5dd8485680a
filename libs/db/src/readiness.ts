import type { DependencyCheck } from '@xorb/observability';
import type { Pool } from './pool';

export function postgresReadiness(pool: Pool): DependencyCheck {
  return {
    name: 'postgres',
    async check() {
      await pool.query('SELECT 1');
    },
  };
}
