import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Role } from '@homeward/domain';

export enum EnrolmentStatus {
  /** CITY_ADMIN / SECURITY_ADMIN: waits for a second security admin. */
  PENDING_APPROVAL = 'PENDING_APPROVAL',
  /** The code can be redeemed (until expiresAt). */
  OPEN = 'OPEN',
  USED = 'USED',
  CANCELLED = 'CANCELLED',
}

/**
 * A staff account a security admin has asked for (issue 6 item 6): the new user redeems the one-time
 * code to set the password (and receives the TOTP secret). Only the code's SHA-256 is stored.
 */
@Entity({ name: 'enrolments' })
export class Enrolment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 64 })
  username: string;

  @Column({ type: 'text', array: true })
  roles: Role[];

  @Column({ type: 'text', array: true })
  towns: string[];

  @Column({ name: 'code_hash', type: 'text' })
  codeHash: string;

  @Column({ type: 'varchar', length: 20 })
  status: EnrolmentStatus;

  @Column({ name: 'requested_by', type: 'varchar', length: 100 })
  requestedBy: string;

  @Column({ name: 'requested_by_username', type: 'varchar', length: 64, nullable: true })
  requestedByUsername: string | null;

  @Column({ name: 'approved_by', type: 'varchar', length: 100, nullable: true })
  approvedBy: string | null;

  @Column({ name: 'approved_by_username', type: 'varchar', length: 64, nullable: true })
  approvedByUsername: string | null;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
