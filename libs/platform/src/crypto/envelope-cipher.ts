import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** First bytes of every sealed blob: `HWENV` + format version 1 + two reserved zero bytes. */
export const ENVELOPE_MAGIC = Buffer.from([0x48, 0x57, 0x45, 0x4e, 0x56, 0x01, 0x00, 0x00]);

const IV = 12;
const TAG = 16;
const DATA_KEY = 32;
/** magic | wrap IV | wrap tag | wrapped data key | data IV | data tag — then the ciphertext. */
export const ENVELOPE_HEADER_BYTES = ENVELOPE_MAGIC.length + IV + TAG + DATA_KEY + IV + TAG;

/**
 * Envelope encryption of blobs (issue 6 item 10: archive files). Each blob gets a fresh random
 * 256-bit data key; the content is AES-256-GCM under that key, and the data key is AES-256-GCM
 * under the key-encryption key (FIELD_ENCRYPTION_KEY). The wrapped key, both IVs and both tags
 * travel in a 96-byte header in front of the ciphertext, so a stored blob is self-describing and
 * holds no clear byte of the content. `aad` (e.g. the storage key) is authenticated with the
 * content: a blob copied onto another document's key does not open.
 */
export class EnvelopeCipher {
  private readonly kek: Buffer;

  constructor(keyEncryptionKeyBase64: string) {
    const key = Buffer.from(keyEncryptionKeyBase64, 'base64');
    if (key.length !== 32) throw new Error('EnvelopeCipher: the key-encryption key must be base64 of exactly 32 bytes');
    this.kek = key;
  }

  /** True when `blob` starts with the envelope header (anything else is a legacy clear blob). */
  static isSealed(blob: Buffer): boolean {
    return blob.length >= ENVELOPE_HEADER_BYTES && blob.subarray(0, ENVELOPE_MAGIC.length).equals(ENVELOPE_MAGIC);
  }

  seal(plain: Buffer, aad = ''): Buffer {
    const dataKey = randomBytes(DATA_KEY);
    const wrapIv = randomBytes(IV);
    const wrap = createCipheriv('aes-256-gcm', this.kek, wrapIv);
    wrap.setAAD(ENVELOPE_MAGIC);
    const wrappedKey = Buffer.concat([wrap.update(dataKey), wrap.final()]);
    const wrapTag = wrap.getAuthTag();
    const dataIv = randomBytes(IV);
    const data = createCipheriv('aes-256-gcm', dataKey, dataIv);
    data.setAAD(Buffer.concat([ENVELOPE_MAGIC, Buffer.from(aad, 'utf8')]));
    const ct = Buffer.concat([data.update(plain), data.final()]);
    const dataTag = data.getAuthTag();
    dataKey.fill(0);
    return Buffer.concat([ENVELOPE_MAGIC, wrapIv, wrapTag, wrappedKey, dataIv, dataTag, ct]);
  }

  /** @throws Error when the blob is not sealed, sealed under another key, bound to another `aad`, or altered. */
  open(blob: Buffer, aad = ''): Buffer {
    if (!EnvelopeCipher.isSealed(blob)) throw new Error('EnvelopeCipher: not a sealed blob');
    let at = ENVELOPE_MAGIC.length;
    const take = (n: number): Buffer => blob.subarray(at, (at += n));
    const wrapIv = take(IV);
    const wrapTag = take(TAG);
    const wrappedKey = take(DATA_KEY);
    const dataIv = take(IV);
    const dataTag = take(TAG);
    const ct = blob.subarray(at);
    let dataKey: Buffer;
    try {
      const unwrap = createDecipheriv('aes-256-gcm', this.kek, wrapIv);
      unwrap.setAAD(ENVELOPE_MAGIC);
      unwrap.setAuthTag(wrapTag);
      dataKey = Buffer.concat([unwrap.update(wrappedKey), unwrap.final()]);
    } catch {
      throw new Error('EnvelopeCipher: the data key does not unwrap (wrong key-encryption key or altered header)');
    }
    try {
      const data = createDecipheriv('aes-256-gcm', dataKey, dataIv);
      data.setAAD(Buffer.concat([ENVELOPE_MAGIC, Buffer.from(aad, 'utf8')]));
      data.setAuthTag(dataTag);
      return Buffer.concat([data.update(ct), data.final()]);
    } catch {
      throw new Error('EnvelopeCipher: the content failed authentication (altered, or sealed for another key)');
    } finally {
      dataKey.fill(0);
    }
  }
}
