import { resolve } from 'node:path';
import { imageExists } from './docker';
import { runCommand, type CliResult } from './docker';
import { imageName, REPO_ROOT, type App, type Target } from './constants';

const BUILD_SCRIPT = resolve(REPO_ROOT, 'docker/build-images.sh');

/** docker/build-images.sh for one app and target (BuildKit; cached layers make it quick). */
export function buildImage(
  app: App,
  target: Target,
  options: { log?: string; context?: string } = {},
): Promise<CliResult> {
  const args = ['--apps', app, '--targets', target];
  if (options.log) args.push('--log', options.log);
  if (options.context) args.push('--context', options.context);
  return runCommand('bash', [BUILD_SCRIPT, ...args], { timeoutMs: 20 * 60_000 });
}

const ensured = new Map<string, Promise<void>>();

/**
 * Makes sure the image exists (built by the CI script or by category 2), building it
 * when it is missing, so that any category can run on its own.
 */
export function ensureImage(app: App, target: Target): Promise<void> {
  const image = imageName(app, target);
  let pending = ensured.get(image);
  if (!pending) {
    pending = (async () => {
      if (await imageExists(image)) return;
      const result = await buildImage(app, target);
      if (result.code !== 0) throw new Error(`building ${image} failed:\n${result.stdout}\n${result.stderr}`);
    })();
    ensured.set(image, pending);
  }
  return pending;
}

export async function ensureImages(apps: readonly App[], targets: readonly Target[]): Promise<void> {
  for (const app of apps) for (const target of targets) await ensureImage(app, target);
}
