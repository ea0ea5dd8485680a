import { z } from 'zod';
import { uuid } from './common';

export const severity = z.enum(['info', 'low', 'medium', 'high', 'critical']);
export const findingStatus = z.enum(['open', 'acknowledged', 'resolved', 'false_positive']);

export const finding = z.strictObject({
  id: uuid,
  target_id: uuid,
  fingerprint: z.string(),
  check_id: z.string(),
  title: z.string(),
  description: z.string(),
  severity,
  cwe: z.string(),
  remediation: z.string(),
  evidence: z.record(z.string(), z.unknown()),
  port: z.number().int().nullable(),
  status: findingStatus,
  occurrences: z.number().int(),
  embedded: z.boolean(),
  first_seen: z.iso.datetime(),
  last_seen: z.iso.datetime(),
  first_scan_id: uuid.nullable(),
  last_scan_id: uuid.nullable(),
});

export const listFindingsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(500).optional(),
  status: findingStatus.optional(),
  severity: severity.optional(),
  target_id: uuid.optional(),
  check_id: z.string().max(100).optional(),
  scan_id: uuid.optional(),
});

export const updateFindingRequest = z.strictObject({ status: findingStatus });

export const similarQuery = z.strictObject({ k: z.coerce.number().int().min(1).max(100).default(10) });

export const searchFindingsRequest = z.strictObject({
  query: z.string().trim().min(1).max(2000),
  k: z.number().int().min(1).max(100).default(10),
});

export const scoredFinding = finding.extend({ similarity: z.number() });
export const scoredFindings = z.strictObject({ items: z.array(scoredFinding) });
