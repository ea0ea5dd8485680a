import { chmod, copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../deploy/tests/support/tools';

export interface NginxRenderOptions {
  /** Which server file: nginx/sites/<site>.conf. */
  site: 'production' | 'development';
  /** Output directory (the rendered /etc/nginx). */
  dir: string;
  /** Directory holding the secret files (the rendered /run/secrets). */
  secretsDir: string;
  /** Loopback ports replacing the container ports 8080, 8443 and 9443. */
  ports: { http: number; https?: number; ops?: number };
  /** Replaces Docker's DNS (127.0.0.11), e.g. "127.0.0.1:5353", and its cache time. */
  resolver?: { address: string; valid: string };
  /** Replaces the upstream host:port of each map in xorb/upstreams.conf. */
  upstreams?: Partial<Record<'api' | 'grafana' | 'prometheus' | 'temporal-ui', string>>;
}

export interface RenderedNginx {
  /** The main file, for `nginx -c`. */
  config: string;
  /** Every substitution made, as "file: from -> to" (for the test report). */
  substitutions: string[];
}

const DEFAULT_UPSTREAMS = {
  api: 'api:8000',
  grafana: 'grafana:3000',
  prometheus: 'prometheus:9090',
  'temporal-ui': 'temporal-ui:8080',
} as const;

/**
 * Renders the repository's nginx configuration to run outside a container, changing
 * only what ties it to the container: absolute paths, the listen ports (on 127.0.0.1),
 * the resolver address and, when asked, where the upstream names point. Every server,
 * location, limit and header block is the file's own. Each substitution must match,
 * so a change of the config that a test relies on fails loudly instead of silently.
 */
export async function renderNginx(options: NginxRenderOptions): Promise<RenderedNginx> {
  const { dir } = options;
  const substitutions: string[] = [];
  await mkdir(join(dir, 'xorb'), { recursive: true });
  await mkdir(join(dir, 'sites'), { recursive: true });
  // nginx's workers (not root) create temp files under cache/.
  await mkdir(join(dir, 'cache'), { recursive: true, mode: 0o777 });
  await chmod(dir, 0o755);
  await chmod(join(dir, 'cache'), 0o777);
  await copyFile('/etc/nginx/mime.types', join(dir, 'mime.types'));

  const replace = (file: string, text: string, from: string | RegExp, to: string, count?: number): string => {
    const pattern = new RegExp(typeof from === 'string' ? escapeRegExp(from) : from.source, 'g');
    const found = text.match(pattern)?.length ?? 0;
    if (found === 0 || (count !== undefined && found !== count)) {
      throw new Error(
        `nginx/${file}: expected ${count ?? 'some'} match(es) of ${String(from)}, found ${found}`,
      );
    }
    substitutions.push(`${file}: ${String(from)} -> ${to}`);
    return text.replace(pattern, to);
  };

  const paths = (file: string, text: string): string => {
    let out = text;
    if (out.includes('/etc/nginx/')) out = replace(file, out, '/etc/nginx/', `${dir}/`);
    if (out.includes('/tmp/nginx_')) out = replace(file, out, '/tmp/nginx_', `${dir}/cache/nginx_`);
    if (out.includes('/run/secrets/')) out = replace(file, out, '/run/secrets/', `${options.secretsDir}/`);
    if (out.includes('pid /tmp/nginx.pid;'))
      out = replace(file, out, 'pid /tmp/nginx.pid;', `pid ${dir}/nginx.pid;`);
    return out;
  };

  const main = await readFile(join(REPO_ROOT, 'nginx/nginx.conf'), 'utf8');
  await writeFile(join(dir, 'nginx.conf'), paths('nginx.conf', main));

  for (const name of await readdir(join(REPO_ROOT, 'nginx/xorb'))) {
    if (!name.endsWith('.conf')) continue;
    const file = `xorb/${name}`;
    let text = paths(file, await readFile(join(REPO_ROOT, 'nginx', file), 'utf8'));
    if (name === 'upstreams.conf') {
      if (options.resolver) {
        text = replace(
          file,
          text,
          /resolver 127\.0\.0\.11 valid=\S+ /,
          `resolver ${options.resolver.address} valid=${options.resolver.valid} `,
          1,
        );
      }
      for (const [key, to] of Object.entries(options.upstreams ?? {})) {
        const from = DEFAULT_UPSTREAMS[key as keyof typeof DEFAULT_UPSTREAMS];
        text = replace(file, text, `default ${from};`, `default ${to};`, 1);
      }
    }
    await writeFile(join(dir, file), text);
  }

  const siteFile = `sites/${options.site}.conf`;
  let site = paths(siteFile, await readFile(join(REPO_ROOT, 'nginx', siteFile), 'utf8'));
  site = replace(siteFile, site, /listen 8080 /, `listen 127.0.0.1:${options.ports.http} `, 1);
  if (site.includes('listen 8443')) {
    if (!options.ports.https) throw new Error(`${siteFile} listens on 8443: give ports.https`);
    site = replace(siteFile, site, /listen 8443 /, `listen 127.0.0.1:${options.ports.https} `, 1);
  }
  if (site.includes('listen 9443')) {
    if (!options.ports.ops) throw new Error(`${siteFile} listens on 9443: give ports.ops`);
    site = replace(siteFile, site, /listen 9443 /, `listen 127.0.0.1:${options.ports.ops} `, 1);
  }
  await writeFile(join(dir, 'sites/xorb.conf'), site);

  return { config: join(dir, 'nginx.conf'), substitutions };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
