import { spawnSync } from 'node:child_process';
import { createSign, createVerify } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { transformFileSync } from '@swc/core';
import { generateRsaKeyPair, generateRsaKeyPairSync } from './rsa-keys';

jest.setTimeout(60_000);

/**
 * The child: pairs from our helper (compiled to plain JS: no transpiler in the child's heap), their
 * details read over and over for 3 s beside 64 KiB buffers under a 1 MiB young generation, so the
 * collector runs inside the getter again and again. With the KeyObjects `generateKeyPairSync` returns
 * itself, Node 20.20.2 deadlocked in this loop in 5 runs of 5 (session 13); the helper's pairs finish.
 */
const storm = (helper: string): string => `
  const { generateRsaKeyPairSync } = require(${JSON.stringify(helper)});
  const started = Date.now();
  const junk = [];
  let pairs = 0;
  while (Date.now() - started < 3000) {
    const pair = generateRsaKeyPairSync(512);
    for (let i = 0; i < 50; i++) {
      pair.privateKey.asymmetricKeyDetails;
      pair.publicKey.asymmetricKeyDetails;
      junk.push(new ArrayBuffer(65536));
      if (junk.length > 500) junk.length = 0;
    }
    pairs++;
  }
  process.stdout.write(pairs > 0 ? 'done' : 'no pair');
`;

describe('RSA key pairs (rsa-keys.ts: no KeyObject shares a lock with its generation job)', () => {
  it('reading key details while the collector destroys finished generation jobs never hangs the process', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-rsa-'));
    const helper = path.join(dir, 'rsa-keys.js');
    const source = path.join(__dirname, 'rsa-keys.ts');
    fs.writeFileSync(helper, transformFileSync(source, { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }).code);
    const run = spawnSync(process.execPath, ['--max-semi-space-size=1', '-e', storm(helper)], { encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });
    fs.rmSync(dir, { recursive: true, force: true });
    expect({ signal: run.signal, status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ signal: null, status: 0, stdout: 'done', stderr: '' });
  });

  it('a pair signs and verifies RS256, and carries its private key as PKCS#8 PEM', async () => {
    for (const pair of [generateRsaKeyPairSync(2048), await generateRsaKeyPair(2048)]) {
      expect(pair.privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
      expect(pair.privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
      const signature = createSign('RSA-SHA256').update('homeward').sign(pair.privateKey);
      expect(createVerify('RSA-SHA256').update('homeward').verify(pair.publicKey, signature)).toBe(true);
    }
  });
});
