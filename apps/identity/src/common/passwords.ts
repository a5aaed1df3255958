import * as argon2 from 'argon2';

/** argon2id with the library defaults (m=64 MiB, t=3, p=4). */
export function hashSecret(plain: string): Promise<string> {
  return argon2.hash(plain, { type: argon2.argon2id });
}

/** False (never throws) when the hash does not match or is malformed. */
export async function verifySecret(hash: string, plain: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, plain);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/**
 * Spends the same time as a real verification when there is nothing to verify against (unknown user or
 * client), so response times do not tell which usernames exist.
 */
export async function burnVerification(plain: string): Promise<false> {
  dummy ??= hashSecret('homeward-timing-equaliser');
  await verifySecret(await dummy, plain);
  return false;
}
