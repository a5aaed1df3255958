import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface DevSecrets {
  FIELD_ENCRYPTION_KEY: string;
  PERSON_KEY_SECRET: string;
  /** The HMAC key of the audit chain (issue 6 item 3): ≥ 32 characters. */
  AUDIT_CHAIN_KEY: string;
}

/** Fresh secrets in the shapes the config demands: base64 of 32 bytes; ≥ 32 characters. */
export function generateSecrets(): DevSecrets {
  return {
    FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PERSON_KEY_SECRET: randomBytes(32).toString('base64url'),
    AUDIT_CHAIN_KEY: randomBytes(32).toString('base64url'),
  };
}

/**
 * The development secrets, generated once into `<dataDir>/dev-secrets.json` (mode 600) and
 * read back on every later start: data encrypted by one start must stay readable by the next.
 */
export function loadDevSecrets(dataDir: string): DevSecrets {
  const file = path.join(dataDir, 'dev-secrets.json');
  const fresh = generateSecrets();
  if (fs.existsSync(file)) {
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<DevSecrets>;
    if (stored.FIELD_ENCRYPTION_KEY && stored.PERSON_KEY_SECRET) {
      if (stored.AUDIT_CHAIN_KEY) {
        return { FIELD_ENCRYPTION_KEY: stored.FIELD_ENCRYPTION_KEY, PERSON_KEY_SECRET: stored.PERSON_KEY_SECRET, AUDIT_CHAIN_KEY: stored.AUDIT_CHAIN_KEY };
      }
      // A .data/ from before the audit key: keep the data keys (the data depends on them), add the new one.
      const completed: DevSecrets = { FIELD_ENCRYPTION_KEY: stored.FIELD_ENCRYPTION_KEY, PERSON_KEY_SECRET: stored.PERSON_KEY_SECRET, AUDIT_CHAIN_KEY: fresh.AUDIT_CHAIN_KEY };
      fs.writeFileSync(file, `${JSON.stringify(completed, null, 2)}\n`, { mode: 0o600 });
      return completed;
    }
  }
  const secrets = fresh;
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}
