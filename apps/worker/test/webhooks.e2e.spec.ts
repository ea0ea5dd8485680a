import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_JOBS, type WebhookEventJobPayload } from '@xorb/contracts';
import type { ServiceProcess } from '@xorb/testing';
import { verifySignature } from '@xorb/webhooks';
import { ApiFixture, type SeededTenant } from '../../api/test/support/api-fixture';
import { startWorker, waitFor } from './support/worker-fixture';

interface Delivery {
  id: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  attempt_log: Array<{ attempt: number; status_code: number | null; outcome: string }>;
}

/** A customer's receiver on loopback: verifies our signature on every request and answers as told. */
class Receiver {
  readonly received: Array<{ headers: IncomingHttpHeaders; body: string; verified: boolean }> = [];
  answers: number[] = [];
  secret = '';
  private server: Server | undefined;
  port = 0;

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        const verified = verifySignature({ secrets: [this.secret], headers: request.headers, body }).ok;
        this.received.push({ headers: request.headers, body, verified });
        response.writeHead(this.answers.shift() ?? 200).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  stop(): void {
    this.server?.close();
  }
}

describe('webhook deliveries', () => {
  let api: ApiFixture;
  let tenant: SeededTenant;
  let worker: ServiceProcess;
  const receiver = new Receiver();
  let webhookId: string;
  let events = 0;

  async function emit(): Promise<string> {
    events += 1;
    const eventId = `scan-event.test-${events}`;
    const payload: WebhookEventJobPayload = {
      tenantId: tenant.id,
      event: 'scan.completed',
      occurredAt: new Date().toISOString(),
      data: { scan_id: `scan-${events}` },
    };
    await api.producers.webhooks.add(WEBHOOK_JOBS.event, payload, { jobId: eventId });
    return eventId;
  }

  async function deliveryOf(eventId: string, done: (delivery: Delivery) => boolean): Promise<Delivery> {
    return waitFor(
      async () => {
        const page = await api.request('GET', `/api/v1/webhooks/${webhookId}/deliveries?limit=200`, {
          key: tenant.keys.admin,
        });
        return page
          .json<{ items: Array<Delivery & { event_id: string }> }>()
          .items.find((item) => item.event_id === eventId);
      },
      (delivery) => delivery !== undefined && done(delivery),
      30_000,
      `delivery of ${eventId}`,
    ) as Promise<Delivery>;
  }

  beforeAll(async () => {
    await receiver.start();
    api = await ApiFixture.start();
    tenant = await api.seedTenant();
    const created = await api.request('POST', '/api/v1/webhooks', {
      key: tenant.keys.admin,
      body: { url: `http://127.0.0.1:${receiver.port}/hooks`, events: ['scan.completed'] },
    });
    expect(created.status, created.body).toBe(201);
    webhookId = created.json<{ id: string }>().id;
    receiver.secret = created.json<{ secret: string }>().secret;
    expect(receiver.secret).toMatch(/^whsec_/);
    expect((await api.request('GET', '/api/v1/webhooks', { key: tenant.keys.admin })).body).not.toContain(
      receiver.secret,
    );
    ({ process: worker } = await startWorker(api, {
      WEBHOOK_MAX_ATTEMPTS: '3',
      WEBHOOK_RETRY_BASE_MS: '50',
    }));
  }, 90_000);

  afterAll(async () => {
    worker?.kill();
    receiver.stop();
    await api?.stop();
  });

  it('signs every delivery so the receiver can verify it', async () => {
    const eventId = await emit();
    const delivery = await deliveryOf(eventId, (item) => item.status === 'delivered');
    expect(delivery).toMatchObject({ attempts: 1, last_status_code: 200 });
    const request = receiver.received.at(-1);
    expect(request?.verified).toBe(true);
    expect(request?.headers['xorb-webhook-id']).toBe(delivery.id);
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({
      id: eventId,
      type: 'scan.completed',
      tenant_id: tenant.id,
    });
  });

  it('retries a 500 and then succeeds', async () => {
    receiver.answers = [500];
    const eventId = await emit();
    const delivery = await deliveryOf(eventId, (item) => item.status === 'delivered');
    expect(delivery.attempts).toBe(2);
    expect(delivery.attempt_log.map((attempt) => [attempt.status_code, attempt.outcome])).toEqual([
      [500, 'retryable'],
      [200, 'delivered'],
    ]);
    const retries = receiver.received.slice(-2);
    expect(retries.every((request) => request.verified)).toBe(true);
    expect(new Set(retries.map((request) => request.headers['xorb-webhook-id'])).size).toBe(1);
  });

  it('dead-letters after WEBHOOK_MAX_ATTEMPTS failures, and a redelivery goes through', async () => {
    receiver.answers = [503, 503, 503];
    const eventId = await emit();
    const dead = await deliveryOf(eventId, (item) => item.status === 'dead');
    expect(dead.attempts).toBe(3);
    expect(dead.attempt_log.map((attempt) => attempt.outcome)).toEqual([
      'retryable',
      'retryable',
      'retryable',
    ]);
    const before = receiver.received.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.received.length).toBe(before);

    const redelivered = await api.request(
      'POST',
      `/api/v1/webhooks/${webhookId}/deliveries/${dead.id}/redeliver`,
      { key: tenant.keys.admin },
    );
    expect(redelivered.status).toBe(202);
    const delivered = await deliveryOf(eventId, (item) => item.status === 'delivered');
    expect(delivered.attempts).toBe(4);
    expect(receiver.received.at(-1)?.verified).toBe(true);
  });

  it('dead-letters a permanent rejection at once', async () => {
    receiver.answers = [410];
    const eventId = await emit();
    const dead = await deliveryOf(eventId, (item) => item.status === 'dead');
    expect(dead.attempt_log.map((attempt) => [attempt.status_code, attempt.outcome])).toEqual([
      [410, 'rejected'],
    ]);
  });

  it('refuses a webhook URL pointing at cloud metadata', async () => {
    const response = await api.request('POST', '/api/v1/webhooks', {
      key: tenant.keys.admin,
      body: { url: 'http://169.254.169.254/latest', events: ['scan.completed'] },
    });
    expect(response.status).toBe(400);
    expect(response.json<{ errors: Array<{ field: string }> }>().errors[0]?.field).toBe('url');
  });
});
