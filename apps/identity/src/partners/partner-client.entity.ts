import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { AgencyKind } from '@homeward/domain';

/** An outside agency's OAuth2 client (client credentials grant). The secret is stored as an argon2id hash. */
@Entity({ name: 'partner_clients' })
export class PartnerClient {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'client_id', type: 'varchar', length: 100 })
  clientId: string;

  @Column({ name: 'secret_hash', type: 'text' })
  secretHash: string;

  @Column({ name: 'agency_kind', type: 'varchar', length: 40 })
  agencyKind: AgencyKind;

  @Column({ name: 'agency_name', type: 'varchar', length: 200 })
  agencyName: string;

  @Column({ name: 'agency_id', type: 'varchar', length: 100 })
  agencyId: string;

  /** After a rotation, the previous secret's hash, accepted until `previousSecretValidUntil` (grace period). */
  @Column({ name: 'previous_secret_hash', type: 'text', nullable: true })
  previousSecretHash: string | null;

  @Column({ name: 'previous_secret_valid_until', type: 'timestamptz', nullable: true })
  previousSecretValidUntil: Date | null;

  @Column({ name: 'secret_rotated_at', type: 'timestamptz', nullable: true })
  secretRotatedAt: Date | null;

  @Column({ type: 'text', array: true })
  scopes: string[];

  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
