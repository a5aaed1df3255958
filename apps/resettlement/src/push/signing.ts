import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** RS-13 webhook headers (documented in docs/decisions.md, "hb: RS-13 information push"). */
export const PUSH_HEADERS = {
  timestamp: 'x-homeward-timestamp',
  signature: 'x-homeward-signature',
  keyId: 'x-homeward-key-id',
  deliveryId: 'x-homeward-delivery-id',
} as const;

/** HMAC-SHA256 (hex) over `timestamp + "." + body` with the subscriber's secret. */
export function signPush(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/** The signature header: `<keyId>=<hex>` per valid key, current key first, comma-separated. */
export function signatureHeader(keys: readonly { keyId: string; secret: string }[], timestamp: string, body: string): string {
  return keys.map((k) => `${k.keyId}=${signPush(k.secret, timestamp, body)}`).join(', ');
}

/** What a receiver does: true when one of the header's signatures is the given key's, in constant time. */
export function verifyPush(header: string, keyId: string, secret: string, timestamp: string, body: string): boolean {
  const expected = Buffer.from(signPush(secret, timestamp, body), 'hex');
  for (const part of header.split(',')) {
    const [id, hex] = part.trim().split('=');
    if (id !== keyId || !hex || !/^[0-9a-f]{64}$/.test(hex)) continue;
    if (timingSafeEqual(Buffer.from(hex, 'hex'), expected)) return true;
  }
  return false;
}

/** A new signing secret (32 random bytes, base64url, prefixed so it is recognisable in a vault). */
export function newPushSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
