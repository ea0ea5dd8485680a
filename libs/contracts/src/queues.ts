import { z } from 'zod';

/** BullMQ queue names; the worker consumes them, the api and orchestrator produce to them. */
export const QUEUE_NAMES = {
  maintenance: 'xorb-maintenance',
} as const;
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/** Job names and payload schemas, per queue. */
export const MAINTENANCE_JOBS = {
  ping: 'ping',
} as const;

export const pingJobPayload = z.strictObject({
  requestedAt: z.iso.datetime(),
  note: z.string().max(200).optional(),
});
export type PingJobPayload = z.infer<typeof pingJobPayload>;
