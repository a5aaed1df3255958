import { createHmac } from 'node:crypto';
import { IdNumber } from './id-number';

/** Minimum length of the PERSON_KEY_SECRET. */
export const PERSON_KEY_SECRET_MIN_LENGTH = 32;

/**
 * PersonKey: hex HMAC-SHA256 of the normalised ID number under the server secret. It
 * links one person's records across services without carrying the number itself.
 * @throws Error when the secret is shorter than 32 characters (a configuration fault).
 */
export function personKeyOf(id: IdNumber, secret: string): string {
  if (typeof secret !== 'string' || secret.length < PERSON_KEY_SECRET_MIN_LENGTH) {
    throw new Error(`PERSON_KEY_SECRET must be at least ${PERSON_KEY_SECRET_MIN_LENGTH} characters`);
  }
  return createHmac('sha256', secret).update(id.value, 'utf8').digest('hex');
}

/** True for a string shaped like a personKey (64 lower-case hex characters). */
export function isPersonKey(s: string): boolean {
  return typeof s === 'string' && /^[0-9a-f]{64}$/.test(s);
}
