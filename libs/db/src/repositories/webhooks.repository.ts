import type { Cursor } from '../pagination';
import type { Queryable } from '../queryable';
import type { ReadQuery } from '../read-as-tenant';

export interface WebhookRow {
  id: string;
  tenant_id: string;
  url: string;
  events: string[];
  secret: string;
  description: string;
  created_by: string;
  created_at: Date;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'dead';

export interface WebhookDeliveryRow {
  id: string;
  tenant_id: string;
  webhook_id: string;
  event_id: string;
  event: string;
  payload: Record<string, unknown>;
  status: DeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const WEBHOOK_COLUMNS = 'id, tenant_id, url, events, secret, description, created_by, created_at';
const DELIVERY_COLUMNS =
  'id, tenant_id, webhook_id, event_id, event, payload, status, attempts, last_status_code, last_error, delivered_at, created_at, updated_at';

export async function insertWebhook(
  client: Queryable,
  webhook: {
    tenantId: string;
    url: string;
    events: string[];
    secret: string;
    description: string;
    createdBy: string;
  },
): Promise<WebhookRow> {
  const { rows } = await client.query<WebhookRow>(
    `INSERT INTO webhooks (tenant_id, url, events, secret, description, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${WEBHOOK_COLUMNS}`,
    [webhook.tenantId, webhook.url, webhook.events, webhook.secret, webhook.description, webhook.createdBy],
  );
  return rows[0] as WebhookRow;
}

export async function findWebhook(
  client: Queryable,
  tenantId: string,
  id: string,
): Promise<WebhookRow | undefined> {
  const { rows } = await client.query<WebhookRow>(
    `SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id],
  );
  return rows[0];
}

export async function listWebhooks(
  client: Queryable,
  tenantId: string,
  limit: number,
  after?: Cursor,
): Promise<WebhookRow[]> {
  const { rows } = await client.query<WebhookRow>(
    `SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
      ORDER BY created_at DESC, id DESC LIMIT $4`,
    [tenantId, after?.createdAt ?? null, after?.id ?? null, limit + 1],
  );
  return rows;
}

export async function webhooksForEvent(
  client: Queryable,
  tenantId: string,
  event: string,
): Promise<WebhookRow[]> {
  const { rows } = await client.query<WebhookRow>(
    `SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE tenant_id = $1 AND $2 = ANY (events)`,
    [tenantId, event],
  );
  return rows;
}

export async function deleteWebhook(client: Queryable, tenantId: string, id: string): Promise<boolean> {
  const result = await client.query('DELETE FROM webhooks WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  return (result.rowCount ?? 0) > 0;
}

/** One delivery per webhook and event: a fan-out that runs again finds the rows it made. */
export async function ensureDelivery(
  client: Queryable,
  delivery: {
    tenantId: string;
    webhookId: string;
    eventId: string;
    event: string;
    payload: Record<string, unknown>;
  },
): Promise<WebhookDeliveryRow> {
  await client.query(
    `INSERT INTO webhook_deliveries (tenant_id, webhook_id, event_id, event, payload) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (webhook_id, event_id) DO NOTHING`,
    [delivery.tenantId, delivery.webhookId, delivery.eventId, delivery.event, delivery.payload],
  );
  const { rows } = await client.query<WebhookDeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE webhook_id = $1 AND event_id = $2`,
    [delivery.webhookId, delivery.eventId],
  );
  return rows[0] as WebhookDeliveryRow;
}

export async function findDelivery(
  client: Queryable,
  tenantId: string,
  id: string,
): Promise<WebhookDeliveryRow | undefined> {
  const { rows } = await client.query<WebhookDeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id],
  );
  return rows[0];
}

/** A delivery with what sending it needs of its webhook (undefined when either is gone). */
export interface DeliveryToSend extends WebhookDeliveryRow {
  webhook_url: string;
  webhook_secret: string;
}

const DELIVERY_TO_SEND_COLUMNS = `${DELIVERY_COLUMNS.split(', ')
  .map((column) => `d.${column}`)
  .join(', ')}, w.url AS webhook_url, w.secret AS webhook_secret`;

/** The delivery and its webhook in one statement (for readAsTenant: one round trip). */
export function deliveryToSendQuery(tenantId: string, deliveryId: string): ReadQuery {
  return {
    text: `SELECT ${DELIVERY_TO_SEND_COLUMNS}
             FROM webhook_deliveries d JOIN webhooks w ON w.tenant_id = d.tenant_id AND w.id = d.webhook_id
            WHERE d.tenant_id = $1 AND d.id = $2`,
    values: [tenantId, deliveryId],
  };
}

export async function listDeliveries(
  client: Queryable,
  tenantId: string,
  webhookId: string,
  limit: number,
  after?: Cursor,
): Promise<WebhookDeliveryRow[]> {
  const { rows } = await client.query<WebhookDeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries
      WHERE tenant_id = $1 AND webhook_id = $2 AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
      ORDER BY created_at DESC, id DESC LIMIT $5`,
    [tenantId, webhookId, after?.createdAt ?? null, after?.id ?? null, limit + 1],
  );
  return rows;
}

export interface AttemptRecord {
  tenantId: string;
  deliveryId: string;
  statusCode: number | null;
  outcome: 'delivered' | 'retryable' | 'rejected' | 'undeliverable';
  durationMs: number;
  error: string | null;
  /** The delivery's status after this attempt. */
  deliveryStatus: DeliveryStatus;
}

/** Counts the attempt on the delivery and logs it, in one statement (a data-modifying CTE). */
export async function recordDeliveryAttempt(
  client: Queryable,
  attempt: AttemptRecord,
): Promise<WebhookDeliveryRow | undefined> {
  const { rows } = await client.query<WebhookDeliveryRow>(
    `WITH counted AS (
       UPDATE webhook_deliveries SET attempts = attempts + 1, status = $3, last_status_code = $4, last_error = $5,
              delivered_at = CASE WHEN $3 = 'delivered' THEN now() ELSE delivered_at END, updated_at = now()
        WHERE tenant_id = $1 AND id = $2 RETURNING ${DELIVERY_COLUMNS}
     ), logged AS (
       INSERT INTO webhook_delivery_attempts (tenant_id, delivery_id, attempt, status_code, outcome, duration_ms, error)
       SELECT tenant_id, id, attempts, $4, $6, $7, $5 FROM counted
     )
     SELECT ${DELIVERY_COLUMNS} FROM counted`,
    [
      attempt.tenantId,
      attempt.deliveryId,
      attempt.deliveryStatus,
      attempt.statusCode,
      attempt.error,
      attempt.outcome,
      attempt.durationMs,
    ],
  );
  return rows[0];
}

export async function resetDeliveryForRedelivery(
  client: Queryable,
  tenantId: string,
  id: string,
): Promise<WebhookDeliveryRow | undefined> {
  const { rows } = await client.query<WebhookDeliveryRow>(
    `UPDATE webhook_deliveries SET status = 'pending', updated_at = now() WHERE tenant_id = $1 AND id = $2 RETURNING ${DELIVERY_COLUMNS}`,
    [tenantId, id],
  );
  return rows[0];
}

export async function deliveryAttempts(client: Queryable, tenantId: string, deliveryId: string) {
  const { rows } = await client.query<{
    attempt: number;
    status_code: number | null;
    outcome: string;
    duration_ms: number;
    error: string | null;
    created_at: Date;
  }>(
    `SELECT attempt, status_code, outcome, duration_ms, error, created_at FROM webhook_delivery_attempts WHERE tenant_id = $1 AND delivery_id = $2 ORDER BY attempt`,
    [tenantId, deliveryId],
  );
  return rows;
}
