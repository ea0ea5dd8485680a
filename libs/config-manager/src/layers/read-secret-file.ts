import { readFileSync } from 'node:fs';

export type SecretFileRead =
  | { found: true; value: string }
  | { found: false; missing: true }
  | { found: false; missing: false; reason: string };

/** Reads a secret file, trimming trailing newlines (editors and `echo` add them). Never reports the content. */
export function readSecretFile(path: string): SecretFileRead {
  try {
    return { found: true, value: readFileSync(path, 'utf8').replace(/(?:\r?\n)+$/, '') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { found: false, missing: true };
    return { found: false, missing: false, reason: `cannot read ${path} (${code ?? 'unknown error'})` };
  }
}
