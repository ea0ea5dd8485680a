/**
 * Worker baseline: a raw BullMQ Worker, nothing else (no time limit, no memory guard,
 * no metrics, no payload schema), on the same Redis at the same concurrency.
 *
 *   REDIS_URL, BENCH_PREFIX (BullMQ key prefix), BENCH_QUEUE, BENCH_CONCURRENCY
 *   ping jobs       return at once, like the app's maintenance ping
 *   deliver jobs    one signed POST (HMAC-SHA256 over "id.timestamp.body", a fresh
 *                   connection as the app's pinned delivery uses) to job.data.url
 */
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';

interface DeliverJob {
  url: string;
  secret: string;
  id: string;
  event: string;
  body: string;
}

function post(job: DeliverJob): Promise<number> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', job.secret)
    .update(`${job.id}.${timestamp}.${job.body}`)
    .digest('hex');
  const payload = Buffer.from(job.body);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      job.url,
      {
        method: 'POST',
        agent: false,
        timeout: 10_000,
        headers: {
          'content-type': 'application/json',
          'content-length': String(payload.length),
          'xorb-webhook-id': job.id,
          'xorb-webhook-timestamp': String(timestamp),
          'xorb-webhook-signature': `v1=${signature}`,
          'xorb-webhook-event': job.event,
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

async function processJob(job: Job): Promise<unknown> {
  if (job.name === 'deliver') {
    const status = await post(job.data as DeliverJob);
    if (status < 200 || status >= 300) throw new Error(`HTTP ${status}`);
    return { status };
  }
  return { job: job.name, processedAt: new Date().toISOString() };
}

const connection = new Redis(process.env.REDIS_URL as string, { maxRetriesPerRequest: null });
const worker = new Worker(process.env.BENCH_QUEUE as string, processJob, {
  connection,
  prefix: process.env.BENCH_PREFIX as string,
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? '4'),
});
worker.on('error', (error) => process.stderr.write(`worker error: ${error.message}\n`));

const stop = async () => {
  await worker.close();
  connection.disconnect();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
void worker.waitUntilReady().then(() => process.stdout.write(`${JSON.stringify({ event: 'ready' })}\n`));
