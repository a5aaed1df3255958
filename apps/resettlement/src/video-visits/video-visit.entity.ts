import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { VideoVisitOrigin, VideoVisitStatus } from '@homeward/domain';
import { encryptedColumn } from '@homeward/platform';

/** A remote family video-visit terminal at a town office (RS-10). */
@Entity({ name: 'visit_terminals' })
export class VisitTerminal {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The number the exclusion constraint ranges over (insert-only). */
  @Column({ type: 'bigint', insert: false, update: false })
  seq: string;

  @Column({ type: 'varchar', length: 8 })
  town: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/**
 * A remote family video visit (远程亲情视频会见, RS-10): started by a family at a terminal or proposed
 * by a prison; REQUESTED → CONFIRMED (on a terminal) → COMPLETED | FAILED | CANCELLED.
 */
@Entity({ name: 'video_visits' })
export class VideoVisit {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 8 })
  town: string;

  @Column({ type: 'varchar', length: 10 })
  origin: VideoVisitOrigin;

  /** The proposing prison (partner ownership); null for a family's request. */
  @Column({ type: 'varchar', length: 120, nullable: true })
  prisonAgency: string | null;

  @Column({ name: 'prison_name_cipher', type: 'text', nullable: true, transformer: encryptedColumn })
  prisonName: string | null;

  @Column({ name: 'prisoner_no_cipher', type: 'text', transformer: encryptedColumn })
  prisonerNo: string;

  @Column({ type: 'char', length: 64 })
  prisonerNoIndex: string;

  /** The prisoner, when a pre-release notice of the prison names the prisoner number. */
  @Column({ type: 'char', length: 64, nullable: true })
  personKey: string | null;

  @Column({ name: 'family_contact_cipher', type: 'text', nullable: true, transformer: encryptedColumn })
  familyContact: string | null;

  @Column({ type: 'timestamptz', precision: 3 })
  startsAt: Date;

  @Column({ type: 'timestamptz', precision: 3 })
  endsAt: Date;

  @Column({ type: 'varchar', length: 12 })
  status: VideoVisitStatus;

  @Column({ type: 'uuid', nullable: true })
  terminalId: string | null;

  @Column({ type: 'bigint', nullable: true })
  terminalSeq: string | null;

  @Column({ name: 'outcome_cipher', type: 'text', nullable: true, transformer: encryptedColumn })
  outcome: string | null;

  @Column({ type: 'varchar', length: 80 })
  createdBy: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}
