import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { DomainError, DomainErrorCode } from '@homeward/domain';
import { AuditWriter, Clock, FieldCipher, TokenRevocations, generateRsaKeyPair, type AuditEntry } from '@homeward/platform';
import { IdentityConfig } from '../config';
import { SigningKey } from './signing-key.entity';

/** Advisory lock key: two replicas booting at once must not both generate a key. */
const KEY_LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtext('identity:signing-keys'))`;

export interface PublicJwk {
  kty: string;
  n: string;
  e: string;
  kid: string;
  alg: string;
  use: string;
}

export interface ActiveSigner {
  kid: string;
  privateKey: KeyObject;
}

/** RFC 7638 thumbprint of an RSA public key, used as its `kid`. */
export function jwkThumbprint(jwk: { e: string; kty: string; n: string }): string {
  const canonical = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  return createHash('sha256').update(canonical).digest('base64url');
}

/**
 * The token signing keys (RSA 2048, RS256). Private keys are stored encrypted with FieldCipher. Also the
 * local key source of identity's own auth guard (`JWKS_PROVIDER`): verification needs no HTTP round trip.
 */
@Injectable()
export class SigningKeysService implements OnModuleInit {
  private readonly logger = new Logger(SigningKeysService.name);
  private readonly publicKeys = new Map<string, KeyObject>();
  private readonly privateKeys = new Map<string, KeyObject>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    private readonly revocations: TokenRevocations,
    private readonly config: IdentityConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.ensureActiveKey();
  }

  /** Makes sure one active key exists, generating it under an advisory lock when there is none. */
  async ensureActiveKey(): Promise<SigningKey> {
    const existing = await this.findActive(this.dataSource.manager);
    if (existing) return existing;
    const { row, created } = await this.dataSource.transaction(async (em) => {
      await em.query(KEY_LOCK_SQL);
      const active = await this.findActive(em);
      if (active) return { row: active, created: false };
      const fresh = await this.insertNewKey(em);
      await this.audit.record(
        { actor: { system: 'identity' }, action: 'signing-key.generate', entityType: 'signing_key', entityId: fresh.kid, outcome: 'SUCCESS' },
        em,
      );
      return { row: fresh, created: true };
    });
    if (created) this.logger.log(`generated signing key ${row.kid}`);
    return row;
  }

  /**
   * A new key signs from now on; the previous one stays in the JWKS so its tokens still verify. The change is
   * published (`<prefix>:auth:keys-changed`) so verifiers refetch the JWKS before the first new token arrives.
   */
  async rotate(actor: AuditEntry['actor']): Promise<SigningKey> {
    const fresh = await this.dataSource.transaction(async (em) => {
      await em.query(KEY_LOCK_SQL);
      const previous = await this.findActive(em);
      if (previous) await em.update(SigningKey, { kid: previous.kid }, { active: false });
      const fresh = await this.insertNewKey(em);
      await this.audit.record(
        {
          actor,
          action: 'signing-key.rotate',
          entityType: 'signing_key',
          entityId: fresh.kid,
          outcome: 'SUCCESS',
          details: { previousKid: previous?.kid ?? null },
        },
        em,
      );
      return fresh;
    });
    await this.revocations.publishKeysChanged(fresh.kid);
    return fresh;
  }

  /**
   * Removes a key that no longer signs from the JWKS: tokens it signed stop verifying in every app at once
   * (issue 6 item 8). Before commit the kid is marked retired in Redis (checked at every verification; a
   * Redis failure aborts the retirement); after commit the retirement is published so verifiers drop the key
   * from their caches and refetch the JWKS.
   */
  async retire(kid: string, actor: AuditEntry['actor']): Promise<SigningKey> {
    const retired = await this.dataSource.transaction(async (em) => {
      await em.query(KEY_LOCK_SQL);
      const key = await em.findOne(SigningKey, { where: { kid } });
      if (!key) throw new DomainError(DomainErrorCode.NOT_FOUND, 'signing key not found / 签名密钥不存在', { field: 'kid' });
      if (key.active) {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'the active signing key cannot be retired; rotate first / 请先轮换密钥', {
          field: 'kid',
        });
      }
      if (!key.retiredAt) {
        key.retiredAt = this.clock.now();
        await em.save(SigningKey, key);
        await this.revocations.markKeyRetired(kid, this.longestTokenLifetime());
        await this.audit.record(
          { actor, action: 'signing-key.retire', entityType: 'signing_key', entityId: kid, outcome: 'SUCCESS' },
          em,
        );
      }
      return key;
    });
    await this.invalidate(kid);
    await this.revocations.publishKeysChanged(kid);
    return retired;
  }

  /** JWKS_PROVIDER contract: a key changed on some replica (announced on Redis): forget what is cached. */
  async invalidate(kid: string): Promise<void> {
    if (kid === '*') {
      this.publicKeys.clear();
      this.privateKeys.clear();
      return;
    }
    this.publicKeys.delete(kid);
    this.privateKeys.delete(kid);
  }

  private longestTokenLifetime(): number {
    return Math.max(this.config.ACCESS_TOKEN_TTL_SECONDS, this.config.PARTNER_TOKEN_TTL_SECONDS);
  }

  /** Every key that is not retired, newest first. */
  listPublished(): Promise<SigningKey[]> {
    return this.dataSource.getRepository(SigningKey).find({ where: { retiredAt: IsNull() }, order: { createdAt: 'DESC' } });
  }

  /** The JWK Set served at `/.well-known/jwks.json`. */
  async jwks(): Promise<{ keys: PublicJwk[] }> {
    const keys = await this.listPublished();
    return { keys: keys.map((k) => k.publicJwk as unknown as PublicJwk) };
  }

  /** The public key for `kid` when it is published (JWKS_PROVIDER contract). */
  async getKey(kid: string): Promise<KeyObject | undefined> {
    const cached = this.publicKeys.get(kid);
    if (cached) return cached;
    const row = await this.dataSource.getRepository(SigningKey).findOne({ where: { kid, retiredAt: IsNull() } });
    if (!row) return undefined;
    const key = createPublicKey({ key: row.publicJwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' });
    this.publicKeys.set(kid, key);
    return key;
  }

  /** The key that signs new tokens (read each time, so a rotation on another replica is seen at once). */
  async activeSigner(): Promise<ActiveSigner> {
    const row = (await this.findActive(this.dataSource.manager)) ?? (await this.ensureActiveKey());
    let privateKey = this.privateKeys.get(row.kid);
    if (!privateKey) {
      privateKey = createPrivateKey({ key: this.cipher.decrypt(row.privateKeyCipher), format: 'pem' });
      this.privateKeys.set(row.kid, privateKey);
    }
    return { kid: row.kid, privateKey };
  }

  private findActive(em: EntityManager): Promise<SigningKey | null> {
    return em.findOne(SigningKey, { where: { active: true } });
  }

  private async insertNewKey(em: EntityManager): Promise<SigningKey> {
    // as PEM, read back: a KeyObject straight from the generation job can deadlock Node 20 (rsa-keys.ts)
    const { publicKey, privatePem } = await generateRsaKeyPair(2048);
    const jwk = publicKey.export({ format: 'jwk' }) as { kty: string; n: string; e: string };
    const kid = jwkThumbprint(jwk);
    const row = em.create(SigningKey, {
      kid,
      algorithm: 'RS256',
      publicJwk: { kty: jwk.kty, n: jwk.n, e: jwk.e, kid, alg: 'RS256', use: 'sig' },
      privateKeyCipher: this.cipher.encrypt(privatePem),
      active: true,
      createdAt: this.clock.now(),
      retiredAt: null,
    });
    await em.save(SigningKey, row);
    return row;
  }
}
