import { z } from 'zod';
import { scanProfile } from '../temporal';
import { uuid } from './common';

const ports = z
  .string()
  .max(1000)
  .regex(/^\d{1,5}(-\d{1,5})?(,\d{1,5}(-\d{1,5})?)*$/, 'ports look like "22,80,443,8000-8100"');

export const createScanRequest = z.strictObject({
  targetId: uuid,
  profile: scanProfile.default('standard'),
  ports: ports.optional(),
});

export const scanStatus = z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']);

export const scan = z.strictObject({
  id: uuid,
  target_id: uuid,
  profile: scanProfile,
  ports: z.string(),
  status: scanStatus,
  phase: z.string(),
  progress: z.number().int().min(0).max(100),
  ports_total: z.number().int(),
  ports_scanned: z.number().int(),
  open_ports: z.array(z.number().int()),
  counts: z.strictObject({ findings_new: z.number().int(), findings_seen: z.number().int() }),
  error: z.string().nullable(),
  requested_by: z.string(),
  schedule_id: uuid.nullable(),
  created_at: z.iso.datetime(),
  started_at: z.iso.datetime().nullable(),
  finished_at: z.iso.datetime().nullable(),
});

export const listScansQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(500).optional(),
  status: scanStatus.optional(),
  target_id: uuid.optional(),
});

export const createScheduleRequest = z.strictObject({
  cron: z
    .string()
    .trim()
    .regex(
      /^(\S+\s+){4}\S+$/,
      'a cron expression has five fields: minute hour day-of-month month day-of-week',
    ),
  profile: scanProfile.default('standard'),
});

export const schedule = z.strictObject({
  id: uuid,
  target_id: uuid,
  cron: z.string(),
  profile: scanProfile,
  next_runs: z.array(z.iso.datetime()),
  created_at: z.iso.datetime(),
});

export const scheduleParams = z.strictObject({ id: uuid, scheduleId: uuid });
