import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { IdNumber, personKeyOf } from '@homeward/domain';

/** Injection token of the crypto secrets (FIELD_ENCRYPTION_KEY, PERSON_KEY_SECRET). */
export const CRYPTO_SECRETS = Symbol('CRYPTO_SECRETS');

export interface CryptoSecrets {
  /** base64 of 32 bytes. */
  FIELD_ENCRYPTION_KEY: string;
  /** ≥ 32 characters. */
  PERSON_KEY_SECRET: string;
}

const VERSION = 'v1';

/**
 * AES-256-GCM field encryption. `encrypt` gives `v1.<iv b64>.<tag b64>.<ct b64>` with a
 * fresh 12-byte IV; `decrypt` refuses anything tampered with.
 */
@Injectable()
export class FieldCipher {
  private readonly key: Buffer;

  constructor(@Inject(CRYPTO_SECRETS) secrets: Pick<CryptoSecrets, 'FIELD_ENCRYPTION_KEY'>) {
    const key = Buffer.from(secrets.FIELD_ENCRYPTION_KEY, 'base64');
    if (key.length !== 32) throw new Error('FIELD_ENCRYPTION_KEY must be base64 of exactly 32 bytes');
    this.key = key;
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv.toString('base64'), tag.toString('base64'), ct.toString('base64')].join('.');
  }

  /** @throws Error when the token is malformed, encrypted under another key, or altered. */
  decrypt(token: string): string {
    const parts = typeof token === 'string' ? token.split('.') : [];
    if (parts.length !== 4 || parts[0] !== VERSION) throw new Error('FieldCipher: not a v1 token');
    const [, ivB64, tagB64, ctB64] = parts;
    const iv = Buffer.from(ivB64, 'base64');
    const tag = Buffer.from(tagB64, 'base64');
    if (iv.length !== 12 || tag.length !== 16) throw new Error('FieldCipher: malformed token');
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(Buffer.from(ctB64, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('FieldCipher: token failed authentication (tampered or wrong key)');
    }
  }
}

/** Domain-separation label of the name blind-index key (issue 6 item 2). */
export const NAME_INDEX_KEY_LABEL = 'homeward/name-index/v1';

/**
 * A person's name normalised for the blind index: Unicode NFKC (full-width → half-width), every
 * whitespace removed, the middle dots of transcribed names (· • ・ ‧ ･) unified to `·`, lower case.
 */
export function normalisePersonName(name: string): string {
  return (name ?? '')
    .normalize('NFKC')
    .replace(/\s+/gu, '')
    .replace(/[\u00B7\u2022\u30FB\u2027\uFF65\u2219]/gu, '\u00B7')
    .toLowerCase();
}

/**
 * PersonKey (HMAC-SHA256 of the normalised ID number under PERSON_KEY_SECRET), and the keyed blind
 * index of a name: HMAC-SHA256(nameKey, normalisePersonName(name)) where
 * nameKey = HMAC-SHA256(PERSON_KEY_SECRET, "homeward/name-index/v1") — a key derived from the same
 * secret but domain-separated, so a name index can never equal or be confused with a personKey.
 */
@Injectable()
export class PersonKeys {
  private readonly secret: string;
  private readonly nameKey: Buffer;

  constructor(@Inject(CRYPTO_SECRETS) secrets: Pick<CryptoSecrets, 'PERSON_KEY_SECRET'>) {
    this.secret = secrets.PERSON_KEY_SECRET;
    this.nameKey = createHmac('sha256', this.secret).update(NAME_INDEX_KEY_LABEL, 'utf8').digest();
  }

  /** 64 hex characters; the same for names equal after normalisePersonName. Exact match only (no prefix). */
  nameIndex(name: string): string {
    return createHmac('sha256', this.nameKey).update(normalisePersonName(name), 'utf8').digest('hex');
  }

  /**
   * A keyed blind index of another identifier a partner uses for a person (a prisoner number, a
   * centre record number), domain-separated by `label` so equal values of different kinds never
   * collide: the clear value is stored only encrypted, found through this index.
   */
  identifierIndex(label: string, value: string): string {
    const key = createHmac('sha256', this.secret).update(`homeward/identifier-index/${label}/v1`, 'utf8').digest();
    return createHmac('sha256', key).update(value.trim().toUpperCase(), 'utf8').digest('hex');
  }

  /** @throws DomainError(ID_NUMBER_INVALID) when given a string that is not a valid ID number. */
  of(idNumber: IdNumber | string): string {
    const id = typeof idNumber === 'string' ? IdNumber.parse(idNumber) : idNumber;
    return personKeyOf(id, this.secret);
  }
}

/** Masks an ID number (or any identifier): first 6 and last 4 characters shown, the rest `*`. */
export function maskIdNumber(value: string | null | undefined): string {
  if (!value) return '';
  const s = value.trim();
  if (s.length <= 10) return '*'.repeat(s.length);
  return `${s.slice(0, 6)}${'*'.repeat(s.length - 10)}${s.slice(-4)}`;
}
