import { z } from 'zod';
import { reportFormat } from '../queues';
import { uuid } from './common';
import { findingStatus, severity } from './findings';

export const createReportRequest = z
  .strictObject({
    scanId: uuid.optional(),
    filters: z
      .strictObject({
        status: findingStatus.optional(),
        severity: severity.optional(),
        target_id: uuid.optional(),
        check_id: z.string().max(100).optional(),
      })
      .optional(),
    format: reportFormat,
  })
  .refine((value) => (value.scanId === undefined) !== (value.filters === undefined), {
    message: 'give either scanId or filters',
    path: ['scanId'],
  });

export const report = z.strictObject({
  id: uuid,
  scan_id: uuid.nullable(),
  filters: z.record(z.string(), z.string()),
  format: reportFormat,
  status: z.enum(['queued', 'running', 'completed', 'failed']),
  content_type: z.string().nullable(),
  sha256: z.string().nullable(),
  size_bytes: z.number().int().nullable(),
  findings: z.number().int().nullable(),
  error: z.string().nullable(),
  download_url: z.string().nullable(),
  created_at: z.iso.datetime(),
  completed_at: z.iso.datetime().nullable(),
});
