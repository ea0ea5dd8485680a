// HEALTHCHECK of every XORB image (slim images have no curl): GET /health on the
// container's own port. Exit 0 when it answers 200, 1 otherwise (Docker's contract).
//   port: HEALTHCHECK_PORT, else <APP>_PORT (API_PORT, ORCHESTRATOR_PORT, WORKER_PORT),
//         else the app's default (8000, 8001, 8002); the app comes from XORB_APP.
//   host: HEALTHCHECK_HOST, else <APP>_HOST when it names one address, else 127.0.0.1.
import http from 'node:http';

const DEFAULT_PORTS = { api: 8000, orchestrator: 8001, worker: 8002 };
const app = (process.env.XORB_APP || 'api').toLowerCase();
const prefix = app.toUpperCase();
const port = Number(process.env.HEALTHCHECK_PORT || process.env[`${prefix}_PORT`] || DEFAULT_PORTS[app]);
const bindHost = process.env[`${prefix}_HOST`] || '';
const wildcard = ['', '0.0.0.0', '::', '[::]'].includes(bindHost);
const host = process.env.HEALTHCHECK_HOST || (wildcard ? '127.0.0.1' : bindHost.replace(/^\[|\]$/g, ''));
const path = process.env.HEALTHCHECK_PATH || '/health';
const timeoutMs = Number(process.env.HEALTHCHECK_TIMEOUT_MS || 2500);

function fail(reason) {
  process.stderr.write(`unhealthy: http://${host}:${port}${path} ${reason}\n`);
  process.exit(1);
}

if (!Number.isInteger(port) || port <= 0 || port > 65535) fail(`has no valid port (XORB_APP=${app})`);

const request = http.get(
  { host, port, path, timeout: timeoutMs, headers: { 'user-agent': 'xorb-healthcheck' } },
  (response) => {
    response.resume();
    if (response.statusCode === 200) process.exit(0);
    fail(`answered ${response.statusCode}`);
  },
);
request.on('timeout', () => request.destroy(new Error(`gave no answer within ${timeoutMs} ms`)));
request.on('error', (error) => fail(error.message));
