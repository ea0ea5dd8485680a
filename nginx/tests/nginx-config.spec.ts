import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecrets, run, tempDir, tool } from '../../deploy/tests/support/tools';
import { renderNginx } from './support/render-nginx';

/**
 * `nginx -t` on the repository's configuration, for both sites. The upstream names need
 * not resolve: every proxy_pass uses a variable, resolved per request through the resolver
 * (Docker's DNS in the stacks), so only paths and listen ports are rendered.
 */
describe('nginx -t', () => {
  let work: { path: string; remove: () => Promise<void> };

  beforeAll(async () => {
    work = await tempDir('xorb-nginx-t');
    await generateSecrets(join(work.path, 'secrets'));
  });
  afterAll(() => work?.remove());

  it.each(['production', 'development'] as const)('accepts the %s site', async (site) => {
    const rendered = await renderNginx({
      site,
      dir: join(work.path, site),
      secretsDir: join(work.path, 'secrets'),
      ports: { http: 18080, https: 18443, ops: 19443 },
    });
    const result = await run(await tool('XORB_NGINX_BIN'), ['-t', '-c', rendered.config], {
      stdoutFile: join(work.path, `${site}-stdout.log`),
    });
    console.info(`[nginx -t] ${site}: ${result.ms} ms`);
    expect(result.stderr).toContain('test is successful');
    expect(result.stderr).not.toMatch(/\[warn\]/);
    expect(result.code).toBe(0);
  });
});
