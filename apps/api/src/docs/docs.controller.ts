import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
// The subpath only: the package index loads 1.4 MB of browser bundles at start-up (bench/: ~0.2 s).
import getAbsoluteFSPath from 'swagger-ui-dist/absolute-path';
import packageJson from '../../package.json';
import { registeredEndpoints } from '../http/endpoint';
import { buildOpenApiDocument } from './openapi';

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
};

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>XORB API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: false });`;

/** The OpenAPI document and interactive docs (Swagger UI served from our own origin, no CDN). */
@Controller()
export class DocsController {
  private document: Record<string, unknown> | undefined;

  @Get('openapi.json')
  openapi(): Record<string, unknown> {
    this.document ??= buildOpenApiDocument(registeredEndpoints(), packageJson.version);
    return this.document;
  }

  @Get('docs')
  @Header('content-type', 'text/html; charset=utf-8')
  page(): string {
    return PAGE;
  }

  @Get('docs/init.js')
  @Header('content-type', 'application/javascript; charset=utf-8')
  init(): string {
    return INIT;
  }

  @Get('docs/:asset')
  async asset(@Param('asset') asset: string, @Res() reply: FastifyReply): Promise<void> {
    const type = ASSETS[asset];
    if (!type) throw new NotFoundException(`No documentation asset ${asset}`);
    const content = await readFile(join(getAbsoluteFSPath(), asset));
    await reply.header('content-type', type).header('cache-control', 'public, max-age=86400').send(content);
  }
}
