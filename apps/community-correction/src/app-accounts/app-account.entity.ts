import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Role } from '@homeward/domain';

/** CC-21 / issue 12 item 1: an account of the subject's or the team's app (app_access schema, read by identity). */
@Entity({ schema: 'app_access', name: 'accounts' })
export class AppAccount {
  @PrimaryColumn({ name: 'account_id', type: 'uuid' }) accountId: string;
  @Column({ type: 'varchar', length: 20 }) role: Role.SUBJECT | Role.TEAM_MEMBER;
  /** SUBJECT: the correction subject it is the account of. */
  @Column({ name: 'subject_id', type: 'uuid', nullable: true }) subjectId: string | null;
  @Column({ type: 'boolean' }) active: boolean;
  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 }) updatedAt: Date;
}

/** A one-time activation code of an account: only its hash is kept; a newer code supersedes the older. */
@Entity({ schema: 'app_access', name: 'activations' })
export class AppActivation {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ name: 'account_id', type: 'uuid' }) accountId: string;
  @Column({ name: 'code_hash', type: 'char', length: 64 }) codeHash: string;
  @Column({ name: 'issued_at', type: 'timestamptz', precision: 3 }) issuedAt: Date;
  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 }) expiresAt: Date;
  @Column({ name: 'issued_by', type: 'varchar', length: 120 }) issuedBy: string;
  @Column({ name: 'superseded_at', type: 'timestamptz', precision: 3, nullable: true }) supersededAt: Date | null;
}
