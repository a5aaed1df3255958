import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Role } from '@homeward/domain';

/** A staff account. The TOTP secret is stored encrypted (FieldCipher); the password as an argon2id hash. */
@Entity({ name: 'users' })
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 64 })
  username: string;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash: string;

  @Column({ type: 'text', array: true })
  roles: Role[];

  /** Town codes, or ['*'] for CITY_ADMIN. */
  @Column({ type: 'text', array: true })
  towns: string[];

  @Column({ name: 'totp_secret_cipher', type: 'text', nullable: true })
  totpSecretCipher: string | null;

  /** The last TOTP time step accepted, so a code cannot be replayed. */
  @Column({
    name: 'totp_last_counter',
    type: 'bigint',
    nullable: true,
    transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) },
  })
  totpLastCounter: number | null;

  /** SUBJECT / TEAM_MEMBER (issue 12): SHA-256 of the device id bound at activation; they log in only from it. */
  @Column({ name: 'device_hash', type: 'char', length: 64, nullable: true })
  deviceHash: string | null;

  @Column({ name: 'failed_attempts', type: 'integer' })
  failedAttempts: number;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ name: 'password_changed_at', type: 'timestamptz' })
  passwordChangedAt: Date;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
