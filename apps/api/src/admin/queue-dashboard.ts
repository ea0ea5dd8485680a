import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Producers } from '@xorb/queues';
import type { AuthService } from '../auth/auth.service';
import { roleAtLeast } from '../auth/principal';
import { problem, PROBLEM_CONTENT_TYPE } from '../http/problem-details';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * Bull Board for operators at /admin/queues: every queue's jobs, retries and
 * failures. Admins only; a browser authenticates with the `xorb_token` cookie
 * holding an access token, tools with the usual Authorization or X-API-Key header.
 */
export async function mountQueueDashboard(
  fastify: FastifyInstance,
  producers: Producers,
  auth: AuthService,
): Promise<void> {
  const serverAdapter = new BullBoardFastifyAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: Object.values(producers).map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'XORB queues' } },
  });
  await fastify.register(async (scope) => {
    scope.addHook('onRequest', async (request, reply) => requireAdmin(request, reply, auth));
    await scope.register(serverAdapter.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
  });
}

async function requireAdmin(request: FastifyRequest, reply: FastifyReply, auth: AuthService): Promise<void> {
  const credential = credentialOf(request);
  const result = credential ? await auth.authenticate(credential) : undefined;
  const status = !result?.ok ? 401 : roleAtLeast(result.principal.role, 'admin') ? 0 : 403;
  if (status === 0) return;
  const detail =
    status === 401
      ? 'The queue dashboard needs an admin credential (Authorization, X-API-Key or the xorb_token cookie)'
      : 'The queue dashboard is for admins';
  await reply
    .status(status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .header('www-authenticate', 'Bearer realm="xorb"')
    .send(problem(status, detail, { instance: request.url.split('?')[0], request_id: String(request.id) }));
}

function credentialOf(request: FastifyRequest): string | undefined {
  const apiKey = request.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey) return apiKey;
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (bearer) return bearer;
  const cookie = /(?:^|;\s*)xorb_token=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
  return cookie ? decodeURIComponent(cookie) : undefined;
}
