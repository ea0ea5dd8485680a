import { hash, verify, type Options } from '@node-rs/argon2';

/** argon2id with OWASP's minimum parameters (19 MiB, 2 iterations). */
// Algorithm is a const enum, which isolated modules cannot read: 2 is Argon2id.
const OPTIONS: Options = {
  algorithm: 2 as Options['algorithm'],
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** Verifying against this when the user does not exist keeps sign-in timing uniform. */
const UNKNOWN_USER_HASH = hash('xorb-unknown-user-placeholder', OPTIONS);

export async function verifyPassword(
  password: string,
  passwordHash: string | null | undefined,
): Promise<boolean> {
  if (!passwordHash) {
    await verify(await UNKNOWN_USER_HASH, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}
