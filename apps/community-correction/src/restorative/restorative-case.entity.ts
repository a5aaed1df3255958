import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { RestorativeCaseStatus, RestorativeQuality } from '@homeward/domain';
import { encryptedColumn } from '@homeward/platform';

const decimal = { to: (v: number) => v, from: (v: string | null) => (v === null ? 0 : Number(v)) };

/** CC-17: a restorative justice (损害修复) case of a subject. */
@Entity({ name: 'restorative_cases' })
export class RestorativeCase {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) subjectId: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'varchar', length: 24 }) status: RestorativeCaseStatus;
  /** Issue 6 item 2: the harm and the victim (free text identifying people), encrypted. */
  @Column({ name: 'harm_description_cipher', type: 'text', transformer: encryptedColumn }) harmDescription: string;
  @Column({ type: 'date' }) openedOn: string;
  @Column({ type: 'varchar', length: 2000, nullable: true }) assessmentNote: string | null;
  @Column({ type: 'date', nullable: true }) assessedOn: string | null;
  @Column({ type: 'varchar', length: 120, nullable: true }) assessedBy: string | null;
  @Column({ name: 'victim_note_cipher', type: 'text', nullable: true, transformer: encryptedColumn }) victimNote: string | null;
  @Column({ type: 'date', nullable: true }) victimDecidedOn: string | null;
  @Column({ type: 'text', nullable: true }) plan: string | null;
  @Column({ type: 'date', nullable: true }) plannedOn: string | null;
  @Column({ type: 'date', nullable: true }) serviceStartedOn: string | null;
  @Column({ type: 'numeric', precision: 8, scale: 2, transformer: decimal }) serviceHours: number;
  @Column({ type: 'varchar', length: 12, nullable: true }) quality: RestorativeQuality | null;
  @Column({ type: 'varchar', length: 2000, nullable: true }) evaluationNote: string | null;
  @Column({ type: 'date', nullable: true }) evaluatedOn: string | null;
  @Column({ type: 'varchar', length: 120, nullable: true }) evaluatedBy: string | null;
  @Column({ type: 'boolean' }) excellent: boolean;
  @Column({ type: 'date', nullable: true }) excellentOn: string | null;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
  @VersionColumn() version: number;
}

/** CC-17: one supervised community-service session of a restorative case. */
@Entity({ name: 'restorative_service_logs' })
export class RestorativeServiceLog {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) caseId: string;
  @Column({ type: 'date' }) serviceDate: string;
  @Column({ type: 'numeric', precision: 6, scale: 2, transformer: decimal }) hours: number;
  @Column({ type: 'varchar', length: 1000 }) note: string;
  @Column({ type: 'varchar', length: 120 }) supervisedBy: string;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}
