import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitForHttp } from '@xorb/testing';

const run = promisify(execFile);

/**
 * The three services a scan of 127.0.0.1 must find: an HTTP server with no
 * security headers, an HTTPS server whose self-signed certificate expires in
 * five days, and a redis-server without a password. All on loopback.
 */
export class LoopbackTargets {
  private constructor(
    readonly http: { port: number; server: HttpServer },
    readonly https: { port: number; server: HttpsServer },
    readonly redis: { port: number; process: ChildProcess },
  ) {}

  static async start(): Promise<LoopbackTargets> {
    const directory = await mkdtemp(join(tmpdir(), 'xorb-targets-'));
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '5',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      join(directory, 'key.pem'),
      '-out',
      join(directory, 'cert.pem'),
    ]);
    const http = createHttpServer((_request, response) =>
      response.writeHead(200, { 'content-type': 'text/html' }).end('<h1>hello</h1>'),
    );
    const https = createHttpsServer(
      { key: await readFile(join(directory, 'key.pem')), cert: await readFile(join(directory, 'cert.pem')) },
      (_request, response) =>
        response
          .writeHead(200, {
            'content-type': 'text/html',
            'strict-transport-security': 'max-age=31536000',
            'content-security-policy': "default-src 'self'; frame-ancestors 'none'",
            'x-content-type-options': 'nosniff',
            'x-frame-options': 'DENY',
          })
          .end('secure'),
    );
    const [httpPort, httpsPort, redisPort] = [await freePort(), await freePort(), await freePort()];
    await new Promise<void>((resolve) => http.listen(httpPort, '127.0.0.1', () => resolve()));
    await new Promise<void>((resolve) => https.listen(httpsPort, '127.0.0.1', () => resolve()));
    const redis = spawn(
      'redis-server',
      [
        '--port',
        String(redisPort),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--protected-mode',
        'no',
      ],
      {
        stdio: 'ignore',
      },
    );
    await waitForRedis(redisPort);
    await waitForHttp(`http://127.0.0.1:${httpPort}/`);
    return new LoopbackTargets(
      { port: httpPort, server: http },
      { port: httpsPort, server: https },
      { port: redisPort, process: redis },
    );
  }

  get ports(): number[] {
    return [this.http.port, this.https.port, this.redis.port].sort((a, b) => a - b);
  }

  async stop(): Promise<void> {
    this.redis.process.kill('SIGKILL');
    this.http.server.closeAllConnections();
    this.https.server.closeAllConnections();
    await Promise.all([
      new Promise((resolve) => this.http.server.close(resolve)),
      new Promise((resolve) => this.https.server.close(resolve)),
    ]);
  }
}

async function waitForRedis(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    try {
      const { stdout } = await run('redis-cli', ['-p', String(port), 'ping']);
      if (stdout.trim() === 'PONG') return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server on ${port} did not start`);
}
