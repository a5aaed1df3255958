import { authenticator } from 'otplib';

export const TOTP_ISSUER = 'Homeward';
const STEP_SECONDS = 30;

/** A new base32 TOTP secret (20 random bytes, RFC 4226 recommendation). */
export function generateTotpSecret(): string {
  return authenticator.generateSecret(20);
}

export function isBase32Secret(secret: string): boolean {
  return /^[A-Z2-7]{16,}=*$/.test(secret);
}

/** otpauth:// URI for authenticator apps. */
export function totpUri(username: string, secret: string): string {
  return authenticator.keyuri(username, TOTP_ISSUER, secret);
}

/** The code an authenticator shows at `at` (used by tests and the CLI hint). */
export function totpCode(secret: string, at: Date): string {
  return authenticator.clone({ epoch: at.getTime() }).generate(secret);
}

/**
 * Checks a 6-digit code at `at` with a window of one step either side. Returns the time-step counter the
 * code belongs to (so the caller can refuse its reuse), or null when it does not match.
 */
export function matchTotp(secret: string, code: string, at: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = authenticator.clone({ epoch: at.getTime(), window: 1 }).checkDelta(code, secret);
  if (delta === null) return null;
  return Math.floor(at.getTime() / 1000 / STEP_SECONDS) + delta;
}
