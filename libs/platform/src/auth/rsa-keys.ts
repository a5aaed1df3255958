import { createPrivateKey, createPublicKey, generateKeyPair, generateKeyPairSync, type KeyObject } from 'node:crypto';

/**
 * RSA key pairs whose KeyObjects share no lock with the job that generated them.
 *
 * Node 20 (20.20.2 here) deadlocks a process for good when the garbage collector runs inside
 * `KeyObject.asymmetricKeyDetails` (which jsonwebtoken reads on every RS256 sign and verify) on a key
 * that `generateKeyPair(Sync)` returned as a KeyObject: the getter holds the key's mutex while it
 * allocates, and the collection destroys the finished key-generation job, whose destructor takes the same
 * mutex (gdb, session 13: `GetRsaKeyDetail` → `ArrayBuffer::New` → GC → `~KeyGenJob` →
 * `pthread_mutex_lock`, the main thread asleep in a futex; no timer fires again). This was the medium
 * tier's hang in sessions 10 and 12. A pair generated as PEM and read back with createPrivateKey /
 * createPublicKey owns fresh keys: the job's mutex is nobody else's. (docs/decisions.md)
 */
export interface RsaKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The private key as PKCS#8 PEM, as generated. */
  privatePem: string;
}

const PUBLIC_PEM = { type: 'spki', format: 'pem' } as const;
const PRIVATE_PEM = { type: 'pkcs8', format: 'pem' } as const;

function fromPem(pem: { publicKey: string; privateKey: string }): RsaKeyPair {
  return { privateKey: createPrivateKey(pem.privateKey), publicKey: createPublicKey(pem.publicKey), privatePem: pem.privateKey };
}

/** An RSA key pair off the main thread (identity's signing keys). */
export function generateRsaKeyPair(modulusLength = 2048): Promise<RsaKeyPair> {
  return new Promise((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength, publicKeyEncoding: PUBLIC_PEM, privateKeyEncoding: PRIVATE_PEM }, (error, publicKey, privateKey) => (error ? reject(error) : resolve(fromPem({ publicKey, privateKey })))),
  );
}

/** An RSA key pair, synchronously (test keys). */
export function generateRsaKeyPairSync(modulusLength = 2048): RsaKeyPair {
  return fromPem(generateKeyPairSync('rsa', { modulusLength, publicKeyEncoding: PUBLIC_PEM, privateKeyEncoding: PRIVATE_PEM }));
}
