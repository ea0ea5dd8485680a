import type { FastifyInstance } from 'fastify';

const API_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

/** The interactive docs load their own script and styles, and nothing from elsewhere. */
const DOCS_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

/** Security headers on every response; HSTS where TLS is terminated in front of us (not in development). */
export function addSecurityHeaders(fastify: FastifyInstance, options: { hsts: boolean }): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    void reply.headers(API_HEADERS);
    if (request.url.startsWith('/docs')) void reply.header('content-security-policy', DOCS_CSP);
    if (options.hsts) void reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    reply.removeHeader('x-powered-by');
    done(null, payload);
  });
}
