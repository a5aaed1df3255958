import type { ValueTransformer } from 'typeorm';
import { CryptoSecrets, FieldCipher, PersonKeys } from './field-cipher';

let columnCipher: FieldCipher | undefined;

/**
 * Makes `cipher` the one the `encryptedColumn` transformer uses. CryptoModule calls it when it builds
 * the app's FieldCipher (one FIELD_ENCRYPTION_KEY per process: each app runs in its own process).
 */
export function useColumnCipher(cipher: FieldCipher): void {
  columnCipher = cipher;
}

function activeCipher(): FieldCipher {
  if (!columnCipher) {
    throw new Error('encryptedColumn: no FieldCipher registered (CryptoModule not loaded, or useColumnCipher not called)');
  }
  return columnCipher;
}

/**
 * Issue 6 item 2: a TypeORM transformer that stores a string column as a FieldCipher token
 * (`v1.<iv>.<tag>.<ct>`, AES-256-GCM under FIELD_ENCRYPTION_KEY) and gives it back in clear on the
 * entity. null stays null. Such a column cannot be searched or sorted in SQL (a fresh IV each
 * write): search by personKey or a blind index instead. Raw SQL reading it gets the token; decrypt
 * with FieldCipher.
 */
export const encryptedColumn: ValueTransformer = {
  to: (value: unknown) => (typeof value === 'string' ? activeCipher().encrypt(value) : value),
  from: (value: unknown) => (typeof value === 'string' ? activeCipher().decrypt(value) : value),
};

/**
 * For data migrations that encrypt existing clear values: the field cipher and person keys from the
 * environment the migration runs in (the CLI `migrate`, the k8s migrate Job and every app at boot have
 * FIELD_ENCRYPTION_KEY and PERSON_KEY_SECRET). Throws, naming the variable, when one is missing —
 * call it only when there are rows to convert, so a fresh database migrates without keys.
 */
export function migrationCrypto(env: NodeJS.ProcessEnv = process.env): { cipher: FieldCipher; personKeys: PersonKeys } {
  const secrets: Partial<CryptoSecrets> = { FIELD_ENCRYPTION_KEY: env.FIELD_ENCRYPTION_KEY, PERSON_KEY_SECRET: env.PERSON_KEY_SECRET };
  for (const name of ['FIELD_ENCRYPTION_KEY', 'PERSON_KEY_SECRET'] as const) {
    if (!secrets[name]) throw new Error(`${name} must be set to migrate existing person data (it encrypts the clear columns)`);
  }
  return { cipher: new FieldCipher(secrets as CryptoSecrets), personKeys: new PersonKeys(secrets as CryptoSecrets) };
}
