import pg from 'pg';
import type { Connection, FieldDef, QueryResultRow, Submittable } from 'pg';
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

/** What node-postgres' Result does for a Query (exported by pg, not declared by @types/pg). */
interface PgResult<Row> {
  rows: Row[];
  fields: FieldDef[];
  _types: unknown;
  addFields(fields: FieldDef[]): void;
  parseRow(values: unknown[]): Row;
  addRow(row: Row): void;
  addCommandComplete(message: { text?: string; command?: string }): void;
}
const { Result, utils } = pg as unknown as {
  Result: new <Row>(rowMode?: string, types?: unknown) => PgResult<Row>;
  utils: { prepareValue(value: unknown): unknown };
};

/** The parts of node-postgres' Connection a Submittable writes to (@types/pg declares them loosely). */
interface WireConnection {
  stream: { cork?(): void; uncork?(): void };
  parse(message: { text: string; name?: string; types?: number[] }): void;
  bind(message: { portal?: string; statement?: string; values?: unknown[] }): void;
  describe(message: { type: 'P' | 'S'; name?: string }): void;
  execute(message: { portal?: string; rows?: number }): void;
  sync(): void;
  sendCopyFail(message: string): void;
}

/**
 * A node-postgres Submittable: the client hands it the connection when it is its turn
 * (submit), then passes it every backend message until ReadyForQuery. It writes, in one
 * corked write, Parse/Bind/Execute of SCOPE, Parse/Bind/Describe/Execute of the read, and
 * one Sync. The backend runs everything before a Sync as one implicit transaction, so the
 * LOCAL settings are in force for the read and gone at the Sync, committed or not; an
 * error anywhere makes the backend skip to the Sync.
 */
class TenantRead<Row extends QueryResultRow> implements Submittable {
  /** node-postgres sets _result._types to the client's type parsers (Client#query), as for its own Query. */
  readonly _result: PgResult<Row> = new Result<Row>();
  /** Called once, like Query's: node-postgres wraps it when query_timeout is set. */
  callback: (error: Error | null, rows?: Row[]) => void;
  readonly done: Promise<Row[]>;
  private scopeDone = false;
  private parseError: Error | undefined;
  private settled = false;
  /** Whether the connection is known to be in step: nothing was sent, or ReadyForQuery came back. */
  inStep = false;

  constructor(
    private readonly tenantId: string,
    private readonly read: ReadQuery,
  ) {
    let settle: (error: Error | null, rows?: Row[]) => void = () => undefined;
    this.done = new Promise<Row[]>((resolve, reject) => {
      settle = (error, rows) => (error ? reject(error) : resolve(rows ?? []));
    });
    this.callback = (error, rows) => {
      if (this.settled) return;
      this.settled = true;
      settle(error, rows);
    };
  }

  submit(connection: Connection): Error | null {
    const wire = connection as unknown as WireConnection;
    let values: unknown[];
    try {
      // Mapped before anything is written: a value that cannot be sent fails the read, not the connection.
      values = (this.read.values ?? []).map((value) => utils.prepareValue(value));
    } catch (error) {
      this.inStep = true;
      return error instanceof Error ? error : new Error(String(error));
    }
    wire.stream.cork?.();
    try {
      wire.parse({ text: SCOPE, name: '', types: [] });
      wire.bind({ portal: '', statement: '', values: [this.tenantId] });
      wire.execute({ portal: '', rows: 0 });
      wire.parse({ text: this.read.text, name: '', types: [] });
      wire.bind({ portal: '', statement: '', values });
      wire.describe({ type: 'P', name: '' });
      wire.execute({ portal: '', rows: 0 });
      wire.sync();
    } finally {
      wire.stream.uncork?.();
    }
    return null;
  }

  handleRowDescription(message: { fields: FieldDef[] }): void {
    if (this.scopeDone) this._result.addFields(message.fields);
  }

  handleDataRow(message: { fields: unknown[] }): void {
    // SCOPE's one row (its portal is not described) is not the caller's.
    if (!this.scopeDone || this.parseError) return;
    try {
      this._result.addRow(this._result.parseRow(message.fields));
    } catch (error) {
      // Reported at ReadyForQuery, as node-postgres does: the protocol stays in step meanwhile.
      this.parseError = error instanceof Error ? error : new Error(String(error));
    }
  }

  handleCommandComplete(message: { text?: string; command?: string }): void {
    if (!this.scopeDone) this.scopeDone = true;
    else this._result.addCommandComplete(message);
  }

  handleEmptyQuery(): void {
    this.parseError ??= new Error('readAsTenant needs one statement; the query text was empty');
  }

  handlePortalSuspended(): void {
    // Never asked for (Execute fetches every row).
  }

  handleCopyInResponse(connection: Connection): void {
    (connection as unknown as WireConnection).sendCopyFail('readAsTenant does not COPY');
  }

  handleCopyData(): void {}

  handleError(error: Error): void {
    this.callback(error);
  }

  handleReadyForQuery(): void {
    this.inStep = true;
    if (this.parseError) this.callback(this.parseError);
    else this.callback(null, this._result.rows);
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
  const read = new TenantRead<Row>(tenantId.toLowerCase(), query);
  const client = await pool.connect();
  let discard: Error | undefined;
  try {
    client.query(read);
    return await read.done;
  } catch (error) {
    // The backend's own errors leave the connection in step (it answers ReadyForQuery next), as do
    // a value refused before sending and a row its parser refused; anything else (a dropped socket,
    // a read timeout) retires the client.
    if (!(error instanceof pg.DatabaseError) && !read.inStep)
      discard = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.release(discard);
  }
}
