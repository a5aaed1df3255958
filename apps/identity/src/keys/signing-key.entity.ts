import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An RSA key pair that signs tokens. The private key (PKCS#8 PEM) is stored encrypted with FieldCipher. */
@Entity({ name: 'signing_keys' })
export class SigningKey {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid: string;

  @Column({ type: 'varchar', length: 10 })
  algorithm: string;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk: Record<string, unknown>;

  @Column({ name: 'private_key_cipher', type: 'text' })
  privateKeyCipher: string;

  /** The one key that signs new tokens. */
  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Set when the key leaves the JWKS (tokens it signed no longer verify). */
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt: Date | null;
}
