import { z } from 'zod';
import { uuid } from './common';

const tag = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_.:-]{0,62}$/,
    'tags are lower-case letters, digits and _ . : -, at most 63 characters',
  );
/** Ports to scan: "22,80,443,8000-8100"; empty means the scan profile's ports. */
const ports = z
  .string()
  .max(1000)
  .regex(/^$|^\d{1,5}(-\d{1,5})?(,\d{1,5}(-\d{1,5})?)*$/, 'ports look like "22,80,443,8000-8100"');

export const targetKind = z.enum(['hostname', 'ipv4', 'ipv6', 'url']);

export const createTargetRequest = z.strictObject({
  value: z.string().min(1).max(2048),
  tags: z.array(tag).max(50).default([]),
  ports: ports.default(''),
});
export const updateTargetRequest = z
  .strictObject({ tags: z.array(tag).max(50).optional(), ports: ports.optional() })
  .refine((value) => Object.keys(value).length > 0, { message: 'give at least one of tags, ports' });

export const verifyTargetRequest = z.strictObject({ method: z.enum(['http', 'dns']) });

export const target = z.strictObject({
  id: uuid,
  kind: targetKind,
  value: z.string(),
  host: z.string(),
  tags: z.array(z.string()),
  ports: z.string(),
  verified: z.boolean(),
  verified_at: z.iso.datetime().nullable(),
  verified_by_method: z.enum(['http', 'dns']).nullable(),
  verification: z.strictObject({
    token: z.string(),
    http_url: z.string(),
    dns_record: z.string(),
    dns_value: z.string(),
  }),
  scan_eligibility: z.strictObject({ allowed: z.boolean(), reason: z.string() }),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});

export const listTargetsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(500).optional(),
  tag: tag.optional(),
  verified: z.enum(['true', 'false']).optional(),
});
