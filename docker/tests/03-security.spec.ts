import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPS, baseImage, imageName, REPO_ROOT, TARGETS } from './support/constants';
import { dockerCli, imageInfo, removeContainers, runCommand, runOnce, saveImage } from './support/docker';
import { ensureImages } from './support/images';

const SECRET_TEXT = [
  /BEGIN [A-Z ]*PRIVATE KEY/,
  /_authToken/,
  /\bnpm_[A-Za-z0-9]{36}\b/,
  /\b(?:password|passwd|secret|token|api[_-]?key|pepper)\b\s*[=:]\s*['"]?[^\s'"$]{6,}/i,
];
const SECRET_ENV = /PASSWORD|SECRET|TOKEN|API_KEY|PEPPER|PRIVATE|CREDENTIAL/i;
const SECRET_PATH =
  /(^|\/)(\.npmrc|\.yarnrc|\.env(\.[\w-]+)?|\.netrc|\.git-credentials|id_(rsa|ed25519|ecdsa)[^/]*|[^/]+\.(pem|key|p12|pfx)|ca-certificates\.crt)$|^(root\/\.npm|run\/secrets|\.git)\//;
const BUILD_CA = process.env.XORB_BUILD_CA ?? '/etc/ssl/certs/ca-certificates.crt';
const DEV_TOOLS = [
  'typescript',
  'vitest',
  'vite',
  'nx',
  'tsx',
  'esbuild',
  'eslint',
  'prettier',
  'testcontainers',
];

/**
 * One 64-character PEM line from each certificate of the bundle that Debian's own
 * certificates (/usr/share/ca-certificates) do not hold: the local additions, such as a
 * TLS proxy's CA. Public CA certificates may legitimately appear in dependencies.
 */
async function localCertificateLines(bundlePath: string): Promise<{ lines: string[]; size: number }> {
  const certificates = (text: string) =>
    [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((match) =>
      (match[1] ?? '').replace(/\s/g, ''),
    );
  const bundle = await readFile(bundlePath, 'utf8').catch(() => '');
  const known = new Set<string>();
  const listing = await runCommand('find', ['/usr/share/ca-certificates', '-name', '*.crt']);
  for (const file of listing.stdout.split('\n').filter(Boolean)) {
    for (const body of certificates(await readFile(file, 'utf8'))) known.add(body);
  }
  const local = certificates(bundle).filter((body) => !known.has(body));
  return {
    lines: local.map((body) => body.slice(64, 128)).filter((line) => line.length === 64),
    size: bundle.length,
  };
}

/** Runs a shell command in a production image (no network); root only when asked. */
function sh(app: (typeof APPS)[number], script: string, options: { user?: string; hardened?: boolean } = {}) {
  return runOnce({
    image: imageName(app, 'production'),
    cmd: ['/bin/sh', '-c', script],
    user: options.user,
    hardened: options.hardened,
  });
}

describe('3. Container security', () => {
  const scratch: string[] = [];
  beforeAll(() => ensureImages(APPS, TARGETS));
  afterAll(async () => {
    await removeContainers();
    await Promise.all(scratch.map((path) => rm(path, { recursive: true, force: true })));
  });

  describe.each(APPS)('%s', (app) => {
    const image = imageName(app, 'production');

    it('runs as the non-root user xorb, UID/GID 1000, in every image', async () => {
      expect((await imageInfo(image)).Config.User).toBe('1000:1000');
      for (const target of ['development', 'testing'] as const) {
        expect((await imageInfo(imageName(app, target))).Config.User).toBe('xorb');
      }
      const result = await sh(app, 'id');
      expect(result.stdout.trim()).toBe('uid=1000(xorb) gid=1000(xorb) groups=1000(xorb)');
    });

    it('carries the OCI and security labels', async () => {
      const labels = (await imageInfo(image)).Config.Labels ?? {};
      for (const name of ['source', 'version', 'revision', 'created', 'title', 'description', 'licenses']) {
        expect(labels[`org.opencontainers.image.${name}`], name).toBeTruthy();
      }
      expect(labels['org.opencontainers.image.base.name']).toBe(baseImage());
      expect(labels['org.opencontainers.image.created']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      // The commit the image was built from (a checkout may have moved on since).
      const revision = labels['org.opencontainers.image.revision'] ?? '';
      const git = await runCommand('git', ['-C', REPO_ROOT, 'rev-parse', 'HEAD']);
      if (git.code === 0) {
        expect(revision).toMatch(/^[0-9a-f]{40}(-dirty)?$/);
        const commit = await runCommand('git', [
          '-C',
          REPO_ROOT,
          'cat-file',
          '-e',
          `${revision.slice(0, 40)}^{commit}`,
        ]);
        expect(commit.code, `${revision} is a commit of this repository`).toBe(0);
      } else {
        expect(revision).toBe('unknown');
      }
      expect(labels).toMatchObject({
        'io.xorb.app': app,
        'io.xorb.stage': 'production',
        'io.xorb.security.user': 'xorb',
        'io.xorb.security.uid': '1000',
        'io.xorb.security.gid': '1000',
        'io.xorb.security.non-root': 'true',
        'io.xorb.security.read-only-rootfs': 'true',
        'io.xorb.security.no-new-privileges': 'true',
        'io.xorb.security.capabilities': 'none',
        'io.xorb.security.init': 'dumb-init',
        'io.xorb.security.setuid-files': 'none',
      });
    });

    it('runs dumb-init as PID 1 with an exec-form CMD, and has /bin/sh', async () => {
      const config = (await imageInfo(image)).Config;
      expect(config.Entrypoint?.[0]).toBe('dumb-init');
      expect(config.Cmd).toEqual(['node', '--enable-source-maps', 'main.js']);
      const result = await sh(app, "tr '\\0' ' ' < /proc/1/cmdline");
      expect(result.stdout).toMatch(/^dumb-init -- /);
    });

    it('has no setuid or setgid file', async () => {
      const result = await sh(app, 'find / -xdev -type f -perm /6000', { user: '0' });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.trim()).toBe('');
    });

    it('keeps the application files owned by root and not writable by xorb', async () => {
      const owners = await sh(app, 'find /app /usr/local/lib/xorb /usr/local/bin ! -user root', {
        user: '0',
      });
      expect(owners.stdout.trim()).toBe('');
      const writable = await sh(app, 'find /app /usr/local /etc -writable 2>/dev/null; touch /app/main.js');
      expect(writable.stdout.trim()).toBe('');
      expect(writable.code).not.toBe(0);
      expect(writable.stderr).toMatch(/Permission denied/);
    });

    it('carries only production dependencies and compiled JS: no package manager, dev tool or source', async () => {
      const result = await sh(
        app,
        'for tool in npm npx yarn corepack tsx; do command -v $tool; done; ' +
          'ls -A /app /app/node_modules; find /app -name "*.ts" -not -path "*/node_modules/*"',
      );
      const listing = result.stdout.split('\n');
      expect(listing).not.toContain('/usr/local/bin/npm');
      for (const tool of DEV_TOOLS) expect(listing, tool).not.toContain(tool);
      expect(listing.some((line) => line.endsWith('.ts'))).toBe(false);
      const manifest = JSON.parse((await sh(app, 'cat /app/node_modules/.package-lock.json')).stdout) as {
        packages: Record<string, { dev?: boolean }>;
      };
      expect(Object.values(manifest.packages).filter((entry) => entry.dev)).toEqual([]);
      expect(listing).toContain('main.js');
      if (app === 'orchestrator') expect(listing).toContain('workflow-bundle.js');
    });

    it('keeps secrets out of its environment, history and layers', async () => {
      const info = await imageInfo(image);
      const leaking = (info.Config.Env ?? []).filter((entry) => {
        const [name] = entry.split('=');
        return SECRET_ENV.test(name ?? '') && !name?.endsWith('_FILE');
      });
      expect(leaking).toEqual([]);

      const history = await dockerCli(['history', '--no-trunc', '--format', '{{.CreatedBy}}', image]);
      expect(history.code).toBe(0);
      for (const pattern of SECRET_TEXT) expect(history.stdout).not.toMatch(pattern);

      // The layers this Dockerfile added (above the base image's): no secret files, no key
      // material, no npm credentials, no npm cache, no CA bundle (the `ca` build secret).
      const saved = await mkdtemp(join(tmpdir(), 'xorb-ctr-layers-'));
      scratch.push(saved);
      await saveImage(image, saved);
      const manifest = JSON.parse(await readFile(join(saved, 'manifest.json'), 'utf8')) as [
        { Layers: string[] },
      ];
      const baseLayers = (await imageInfo(baseImage())).RootFS.Layers ?? [];
      expect(info.RootFS.Layers?.slice(0, baseLayers.length)).toEqual(baseLayers);
      const ours = manifest[0].Layers.slice(baseLayers.length);
      expect(ours.length).toBeGreaterThan(0);
      const unpacked = join(saved, 'ours');
      await mkdir(unpacked);
      for (const layer of ours) {
        const list = await runCommand('tar', ['-tf', join(saved, layer)]);
        const suspicious = list.stdout
          .split('\n')
          .filter((path) => SECRET_PATH.test(path.replace(/^\.\//, '')));
        expect(suspicious, `suspicious files in layer ${layer}`).toEqual([]);
        await runCommand('tar', ['-xf', join(saved, layer), '-C', unpacked, '--exclude=.wh.*']);
      }
      // Key material is a PEM block with a body (code that merely names the header is fine).
      const keys = await runCommand('grep', [
        '-rlzP',
        '--binary-files=text',
        '-e',
        '-----BEGIN [A-Z ]*PRIVATE KEY-----\\r?\\n[A-Za-z0-9+/=]{40,}|_authToken\\s*=',
        unpacked,
      ]);
      expect(keys.stdout.trim(), 'files with private keys or npm credentials').toBe('');
      // The CA bundle handed to npm as the build secret `ca`: neither the file nor the
      // certificates it adds to Debian's (the TLS proxy's CA) may be in a layer.
      const { lines, size } = await localCertificateLines(BUILD_CA);
      if (lines.length > 0) {
        const patterns = join(saved, 'ca-patterns');
        await writeFile(patterns, lines.join('\n'));
        const certs = await runCommand('grep', ['-rlF', '--binary-files=text', '-f', patterns, unpacked]);
        expect(certs.stdout.trim(), 'files with certificates of the build CA bundle').toBe('');
      }
      const sameSize =
        size > 0 ? await runCommand('find', [unpacked, '-type', 'f', '-size', `${size}c`]) : undefined;
      for (const file of sameSize?.stdout.split('\n').filter(Boolean) ?? []) {
        expect(await readFile(file, 'utf8'), `${file} is the CA bundle`).not.toBe(
          await readFile(BUILD_CA, 'utf8'),
        );
      }
    });

    it('runs with a read-only root where only the tmpfs /tmp is writable', async () => {
      const result = await sh(
        app,
        'touch /tmp/ok && for path in /app/x /home/xorb/x /x /usr/local/lib/xorb/x; do ' +
          'touch $path 2>/dev/null && echo "WROTE $path"; done; echo done',
        { hardened: true },
      );
      expect(result.stdout.trim()).toBe('done');
      expect(result.code).toBe(0);
    });

    it('has no capabilities and cannot gain privileges with no-new-privileges', async () => {
      const hardened = await sh(app, 'grep -E "^(NoNewPrivs|CapEff|CapPrm):" /proc/self/status', {
        hardened: true,
      });
      expect(hardened.stdout).toMatch(/NoNewPrivs:\s+1/);
      expect(hardened.stdout).toMatch(/CapEff:\s+0{16}/);
      expect(hardened.stdout).toMatch(/CapPrm:\s+0{16}/);
      // Even without --cap-drop, the non-root user holds no effective capability.
      const plain = await sh(app, 'grep -E "^CapEff:" /proc/self/status');
      expect(plain.stdout).toMatch(/CapEff:\s+0{16}/);
    });
  });
});
