import { z } from 'zod';
import { uuid } from './common';

export const auditRecord = z.strictObject({
  id: uuid,
  actor: z.string(),
  action: z.string(),
  resource_type: z.string(),
  resource_id: z.string().nullable(),
  request_id: z.string().nullable(),
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  created_at: z.iso.datetime(),
});

export const listAuditQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(500).optional(),
  action: z.string().max(100).optional(),
  resource_type: z.string().max(100).optional(),
});
