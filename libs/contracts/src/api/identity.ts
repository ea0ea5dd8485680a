import { z } from 'zod';
import { role, uuid } from './common';

const email = z
  .email()
  .max(254)
  .transform((value) => value.toLowerCase());
/** Long enough to resist guessing; no composition rules (NIST SP 800-63B). */
export const password = z.string().min(12).max(256);

export const tokenRequest = z.discriminatedUnion('grant_type', [
  z.strictObject({
    grant_type: z.literal('password'),
    tenant: z.string().min(1).max(63),
    email,
    password: z.string().min(1).max(256),
  }),
  z.strictObject({ grant_type: z.literal('api_key'), api_key: z.string().min(1).max(200) }),
]);
export type TokenRequest = z.infer<typeof tokenRequest>;

export const tokenResponse = z.strictObject({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
});

export const principalResponse = z.strictObject({
  tenant: z.strictObject({ id: uuid, slug: z.string(), name: z.string() }),
  actor: z.string(),
  kind: z.enum(['user', 'api_key']),
  role,
});

export const user = z.strictObject({
  id: uuid,
  email: z.string(),
  role,
  disabled: z.boolean(),
  created_at: z.iso.datetime(),
});
export const createUserRequest = z.strictObject({ email, role, password });
export const updateUserRequest = z
  .strictObject({ role: role.optional(), disabled: z.boolean().optional(), password: password.optional() })
  .refine((value) => Object.keys(value).length > 0, {
    message: 'give at least one of role, disabled, password',
  });

export const apiKey = z.strictObject({
  id: uuid,
  name: z.string(),
  prefix: z.string(),
  role,
  created_at: z.iso.datetime(),
  expires_at: z.iso.datetime().nullable(),
  revoked_at: z.iso.datetime().nullable(),
  last_used_at: z.iso.datetime().nullable(),
});
export const createApiKeyRequest = z.strictObject({
  name: z.string().min(1).max(100),
  role,
  expires_at: z.iso.datetime({ offset: true }).optional(),
});
/** The only time the secret is shown. */
export const createdApiKey = apiKey.extend({ key: z.string() });
