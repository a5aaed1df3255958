import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface DevSecrets {
  FIELD_ENCRYPTION_KEY: string;
  PERSON_KEY_SECRET: string;
  /** Issue 6 item 12: what the gateway sends to the other apps (x-homeward-gateway-secret). */
  SUBGRAPH_SHARED_SECRET: string;
  /** The HMAC key of the audit chain (issue 6 item 3): ≥ 32 characters. */
  AUDIT_CHAIN_KEY: string;
}

/** Fresh secrets in the shapes the config demands: base64 of 32 bytes; ≥ 32 characters. */
export function generateSecrets(): DevSecrets {
  return {
    FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PERSON_KEY_SECRET: randomBytes(32).toString('base64url'),
    SUBGRAPH_SHARED_SECRET: randomBytes(32).toString('base64url'),
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
      // Keys added after the data keys (no data depends on them): a file from an older start gets them.
      const secrets: DevSecrets = {
        FIELD_ENCRYPTION_KEY: stored.FIELD_ENCRYPTION_KEY,
        PERSON_KEY_SECRET: stored.PERSON_KEY_SECRET,
        SUBGRAPH_SHARED_SECRET: stored.SUBGRAPH_SHARED_SECRET ?? fresh.SUBGRAPH_SHARED_SECRET,
        AUDIT_CHAIN_KEY: stored.AUDIT_CHAIN_KEY ?? fresh.AUDIT_CHAIN_KEY,
      };
      if (!stored.SUBGRAPH_SHARED_SECRET || !stored.AUDIT_CHAIN_KEY) {
        fs.writeFileSync(file, `${JSON.stringify({ ...stored, ...secrets }, null, 2)}\n`, { mode: 0o600 });
      }
      return secrets;
    }
  }
  const secrets = fresh;
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}
