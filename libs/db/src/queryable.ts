import type { Pool, PoolClient } from 'pg';

/** A pool (one statement, autocommit) or a client inside a transaction: repositories take either. */
export type Queryable = Pool | PoolClient;
