import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

/** Written next to main.js by the production build (`nx run orchestrator:build`). */
export const WORKFLOW_BUNDLE_FILE = 'workflow-bundle.js';

const WORKFLOWS_ENTRY = join(__dirname, 'workflows', 'index.ts');

/**
 * Production runs the prebuilt workflow bundle; development (tsx) and tests
 * bundle the workflow sources at start-up instead.
 */
export function workflowSource(
  directory = __dirname,
): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  const bundle = join(directory, WORKFLOW_BUNDLE_FILE);
  if (existsSync(bundle)) return { workflowBundle: { codePath: bundle } };
  return { workflowsPath: WORKFLOWS_ENTRY };
}

/** Bundles the workflow sources once, at build time, so production workers start fast. */
export async function writeWorkflowBundle(outputDirectory: string): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_ENTRY });
  await mkdir(outputDirectory, { recursive: true });
  const path = join(outputDirectory, WORKFLOW_BUNDLE_FILE);
  await writeFile(path, code);
  return path;
}
