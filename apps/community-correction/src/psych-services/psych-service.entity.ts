import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { encryptedColumn } from '@homeward/platform';

/** CC-27: kinds of psychological service (心理健康教育、咨询、危机干预). */
export enum PsychServiceKind {
  EDUCATION = 'EDUCATION',
  COUNSELLING = 'COUNSELLING',
  CRISIS_INTERVENTION = 'CRISIS_INTERVENTION',
}

export const PSYCH_SERVICE_KIND_LABELS: Record<PsychServiceKind, string> = {
  [PsychServiceKind.EDUCATION]: '心理健康教育',
  [PsychServiceKind.COUNSELLING]: '心理咨询',
  [PsychServiceKind.CRISIS_INTERVENTION]: '危机干预',
};

/**
 * CC-27: a psychological service given to a subject by a registered social organisation (CC-22),
 * with a crisis flag (raises an ORANGE alert while set). Notes are person free text: encrypted.
 */
@Entity({ name: 'psych_service_records' })
export class PsychServiceRecord {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) subjectId: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'varchar', length: 24 }) kind: PsychServiceKind;
  @Column({ type: 'date' }) servedOn: string;
  /** The provider: a social organisation of CC-22 (ACTIVE when the service was recorded). */
  @Column({ type: 'uuid' }) providerId: string;
  @Column({ name: 'notes_cipher', type: 'text', transformer: encryptedColumn }) notes: string;
  @Column({ type: 'boolean', default: false }) crisis: boolean;
  @Column({ type: 'date', nullable: true }) crisisFlaggedOn: string | null;
  @Column({ type: 'varchar', length: 120, nullable: true }) crisisFlaggedBy: string | null;
  @Column({ type: 'date', nullable: true }) crisisClearedOn: string | null;
  @Column({ type: 'varchar', length: 120, nullable: true }) crisisClearedBy: string | null;
  /** Why the flag was set or cleared, last (free text about a person): encrypted. */
  @Column({ name: 'crisis_note_cipher', type: 'text', nullable: true, transformer: encryptedColumn }) crisisNote: string | null;
  @Column({ type: 'varchar', length: 120 }) recordedBy: string;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
  @VersionColumn() version: number;
}
