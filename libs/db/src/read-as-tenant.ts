import pg from 'pg';
import type { Connection, QueryResultRow, Submittable } from 'pg';
import type { Pool } from './pool';
import { assertTenantId } from './tenant-scope';

/** One statement's text and parameters, as the repositories' *Query builders return them. */
export interface ReadQuery {
  text: string;
  values?: unknown[];
}

/**
 * The role, the tenant and read-only, all LOCAL: they hold for the read that follows in the same
 * implicit transaction and end with it at Sync. set_config('role', …) is what SET ROLE does.
 */
const SCOPE = `SELECT set_config('role', 'xorb_app', true), set_config('xorb.tenant_id', $1, true), set_config('transaction_read_only', 'on', true)`;
/** SCOPE is a prepared statement too, parsed once per connection. */
const SCOPE_NAME = 'xorb_read_scope';

/** The parts of node-postgres' own Query (exported by pg, declared loosely by @types/pg) a TenantRead drives. */
interface PgQuery {
  _result: unknown;
  name?: string;
  text: string;
  submit(connection: Connection): Error | null;
  handleRowDescription(message: unknown): void;
  handleDataRow(message: unknown): void;
  handleCommandComplete(message: unknown, connection: Connection): void;
  handleEmptyQuery(connection: Connection): void;
  handlePortalSuspended(connection: Connection): void;
  handleCopyInResponse(connection: Connection): void;
  handleCopyData(message: unknown, connection: Connection): void;
  handleError(error: Error, connection: Connection): void;
  handleReadyForQuery(connection: Connection): void;
}
type QueryCallback = (error: Error | null, result?: { rows: unknown[] }) => void;
const { Query, utils } = pg as unknown as {
  Query: new (config: {
    text: string;
    values: unknown[];
    name?: string;
    queryMode: 'extended';
    callback: QueryCallback;
  }) => PgQuery;
  utils: { prepareValue(value: unknown): unknown };
};

/**
 * Reads are prepared statements, named after their text: the backend parses and plans each
 * once per connection instead of on every request. node-postgres keeps the per-connection
 * bookkeeping (parse once, forget on error). The read builders produce a bounded set of
 * texts; past MAX_NAMED_READS distinct texts, reads go unnamed.
 */
const MAX_NAMED_READS = 256;
const readNames = new Map<string, string>();
function statementName(text: string): string | undefined {
  let name = readNames.get(text);
  if (name === undefined && readNames.size < MAX_NAMED_READS) {
    name = `xorb_read_${readNames.size + 1}`;
    readNames.set(text, name);
  }
  return name;
}

/** The parts of node-postgres' Connection the scope is written with. */
interface WireConnection {
  stream: { cork?(): void; uncork?(): void };
  /** node-postgres' per-connection bookkeeping of named statements (parsed; sent, not yet confirmed). */
  parsedStatements: Record<string, string | undefined>;
  submittedNamedStatements: Record<string, string | undefined>;
  parse(message: { text: string; name?: string; types?: number[] }): void;
  bind(message: { portal?: string; statement?: string; values?: unknown[] }): void;
  execute(message: { portal?: string; rows?: number }): void;
}

function statementKnown(connection: WireConnection, name: string): boolean {
  return (
    connection.parsedStatements[name] !== undefined || connection.submittedNamedStatements[name] !== undefined
  );
}

/**
 * A node-postgres Submittable: the client hands it the connection when it is its turn
 * (submit), then passes it every backend message until ReadyForQuery. In one corked write it
 * sends Parse/Bind/Execute of SCOPE, then node-postgres' own Query writes the read
 * (Parse/Bind/Describe/Execute) and the one Sync. The backend runs everything before a Sync
 * as one implicit transaction, so the LOCAL settings are in force for the read and gone at
 * the Sync, committed or not; an error anywhere makes the backend skip to the Sync.
 *
 * SCOPE's own answer (its row and CommandComplete) is swallowed here; everything after it
 * goes to the Query, so rows are parsed, errors reported and the callback called exactly as
 * for any pool.query.
 */
class TenantRead implements Submittable {
  private scopeDone = false;
  /** Whether the connection is known to be in step: ReadyForQuery came back. */
  inStep = false;
  private readonly query: PgQuery;

  /** `values` are already in wire form (prepareValue), so nothing can fail after the first byte is written. */
  constructor(
    private readonly tenantId: string,
    values: unknown[],
    text: string,
    callback: QueryCallback,
  ) {
    this.query = new Query({ text, values, name: statementName(text), queryMode: 'extended', callback });
  }

  /**
   * node-postgres records a named statement as parsed on the active query's ParseComplete, and
   * forgets it on an error. Until SCOPE is done this shows SCOPE's name and text, so its
   * ParseComplete is recorded for SCOPE; the read's name shows only after (an error before
   * that is handled in handleError).
   */
  get name(): string | undefined {
    return this.scopeDone ? this.query.name : SCOPE_NAME;
  }

  get text(): string {
    return this.scopeDone ? this.query.text : SCOPE;
  }

  /** node-postgres sets _result._types (the client's type parsers) on the query it is handed. */
  get _result(): unknown {
    return this.query._result;
  }

  submit(connection: Connection): Error | null {
    const wire = connection as unknown as WireConnection;
    wire.stream.cork?.();
    try {
      if (!statementKnown(wire, SCOPE_NAME)) {
        wire.parse({ text: SCOPE, name: SCOPE_NAME, types: [] });
        wire.submittedNamedStatements[SCOPE_NAME] = SCOPE;
      }
      wire.bind({ portal: '', statement: SCOPE_NAME, values: [this.tenantId] });
      wire.execute({ portal: '', rows: 0 });
      return this.query.submit(connection);
    } finally {
      wire.stream.uncork?.();
    }
  }

  handleRowDescription(message: unknown): void {
    this.query.handleRowDescription(message);
  }

  handleDataRow(message: unknown): void {
    // SCOPE's one row (its portal is not described) is not the caller's.
    if (this.scopeDone) this.query.handleDataRow(message);
  }

  handleCommandComplete(message: unknown, connection: Connection): void {
    if (!this.scopeDone) this.scopeDone = true;
    else this.query.handleCommandComplete(message, connection);
  }

  handleEmptyQuery(connection: Connection): void {
    this.query.handleEmptyQuery(connection);
  }

  handlePortalSuspended(connection: Connection): void {
    this.query.handlePortalSuspended(connection);
  }

  handleCopyInResponse(connection: Connection): void {
    this.query.handleCopyInResponse(connection);
  }

  handleCopyData(message: unknown, connection: Connection): void {
    this.query.handleCopyData(message, connection);
  }

  handleError(error: Error, connection: Connection): void {
    // Past an error the backend skips to the Sync: a read never reached was never parsed.
    const { name } = this.query;
    if (!this.scopeDone && name !== undefined)
      Reflect.deleteProperty((connection as unknown as WireConnection).submittedNamedStatements, name);
    this.query.handleError(error, connection);
  }

  handleReadyForQuery(connection: Connection): void {
    this.inStep = true;
    this.query.handleReadyForQuery(connection);
  }
}

/**
 * One read as the tenant in ONE round trip: SET ROLE xorb_app, the tenant and read-only,
 * then the statement, in a single implicit transaction (see TenantRead). Row-level
 * security holds exactly as in withTenant, a write is refused (read-only transaction),
 * rows come back parsed by the client's type parsers, and errors are the usual
 * pg DatabaseErrors. Nothing outlives the Sync, so the pooled connection goes back clean.
 *
 * For single-statement reads (list and get endpoints); work that needs several
 * statements or writes uses withTenant.
 */
export async function readAsTenant<Row extends QueryResultRow>(
  pool: Pool,
  tenantId: string,
  query: ReadQuery,
): Promise<Row[]> {
  assertTenantId(tenantId);
  // A value that cannot be sent fails the read here, before a connection is taken.
  const values = (query.values ?? []).map((value) => utils.prepareValue(value));
  const client = await pool.connect();
  let read: TenantRead | undefined;
  let discard: Error | undefined;
  try {
    return await new Promise<Row[]>((resolve, reject) => {
      read = new TenantRead(tenantId.toLowerCase(), values, query.text, (error, result) =>
        error ? reject(error) : resolve((result?.rows ?? []) as Row[]),
      );
      client.query(read);
    });
  } catch (error) {
    // The backend's own errors leave the connection in step (it answers ReadyForQuery next), as does
    // a row its parser refused; anything else (a dropped socket, a read timeout) retires the client.
    if (!(error instanceof pg.DatabaseError) && !read?.inStep)
      discard = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.release(discard);
  }
}
