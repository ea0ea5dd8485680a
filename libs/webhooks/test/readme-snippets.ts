import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const README = join(import.meta.dirname, '..', 'README.md');

/** The code block that follows `<!-- snippet: name -->` in the README, verbatim. */
export function readmeSnippet(name: string): string {
  const text = readFileSync(README, 'utf8');
  const marker = `<!-- snippet: ${name} -->`;
  const start = text.indexOf(marker);
  if (start < 0) throw new Error(`README has no snippet ${name}`);
  const match = /```[a-z]*\n([\s\S]*?)```/.exec(text.slice(start + marker.length));
  if (!match?.[1]) throw new Error(`README snippet ${name} has no code block`);
  return match[1];
}

export type NodeVerifier = (
  secrets: string[],
  headers: Record<string, string | string[] | undefined>,
  rawBody: Buffer | string,
  toleranceSeconds?: number,
) => boolean;

/** The README's Node verification function, loaded from a copy of its snippet as a receiver would paste it. */
export async function loadReadmeNodeVerifier(): Promise<NodeVerifier> {
  const file = join(mkdtempSync(join(tmpdir(), 'xorb-webhooks-readme-')), 'verify.mjs');
  writeFileSync(file, readmeSnippet('verify-node'));
  const module = (await import(pathToFileURL(file).href)) as { verifyXorbWebhook: NodeVerifier };
  return module.verifyXorbWebhook;
}
