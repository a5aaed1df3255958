import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { encryptedColumn } from '@homeward/platform';

/** CC-18: kinds of assistance (帮扶救助). */
export enum AssistanceKind {
  SKILLS_TRAINING = 'SKILLS_TRAINING',
  JOB_REFERRAL = 'JOB_REFERRAL',
  MINIMUM_LIVING_ALLOWANCE = 'MINIMUM_LIVING_ALLOWANCE',
  TEMPORARY_RELIEF = 'TEMPORARY_RELIEF',
  MINOR_CHILDREN_CARE = 'MINOR_CHILDREN_CARE',
}

export const ASSISTANCE_KIND_LABELS: Record<AssistanceKind, string> = {
  [AssistanceKind.SKILLS_TRAINING]: '技能培训',
  [AssistanceKind.JOB_REFERRAL]: '就业推荐',
  [AssistanceKind.MINIMUM_LIVING_ALLOWANCE]: '最低生活保障',
  [AssistanceKind.TEMPORARY_RELIEF]: '临时救助',
  [AssistanceKind.MINOR_CHILDREN_CARE]: '未成年子女关爱',
};

export enum AssistanceNeedStatus {
  OPEN = 'OPEN',
  MET = 'MET',
}

export const ASSISTANCE_NEED_STATUS_LABELS: Record<AssistanceNeedStatus, string> = {
  [AssistanceNeedStatus.OPEN]: '待帮扶',
  [AssistanceNeedStatus.MET]: '已帮扶',
};

export enum DisputeStatus {
  OPEN = 'OPEN',
  RESOLVED = 'RESOLVED',
}

export const DISPUTE_STATUS_LABELS: Record<DisputeStatus, string> = {
  [DisputeStatus.OPEN]: '未化解',
  [DisputeStatus.RESOLVED]: '已化解',
};

/** CC-18: a need for assistance recorded for a subject, and the assistance given. */
@Entity({ name: 'assistance_needs' })
export class AssistanceNeed {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) subjectId: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'varchar', length: 30 }) kind: AssistanceKind;
  @Column({ type: 'varchar', length: 2000 }) description: string;
  @Column({ type: 'date' }) recordedOn: string;
  @Column({ type: 'varchar', length: 120 }) recordedBy: string;
  @Column({ type: 'varchar', length: 8 }) status: AssistanceNeedStatus;
  /** CC-21: the subject asked for it in 在矫通 (else recorded by an officer). */
  @Column({ type: 'boolean', default: false }) requestedBySubject: boolean;
  @Column({ type: 'date', nullable: true }) givenOn: string | null;
  @Column({ type: 'varchar', length: 120, nullable: true }) givenBy: string | null;
  @Column({ type: 'varchar', length: 2000, nullable: true }) givenNote: string | null;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
  @VersionColumn() version: number;
}

/** CC-18: a dispute (矛盾纠纷) found around a subject, and its resolution. */
@Entity({ name: 'disputes' })
export class Dispute {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) subjectId: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  /** Issue 6 item 2: the parties of a dispute (free text identifying people), encrypted. */
  @Column({ name: 'description_cipher', type: 'text', transformer: encryptedColumn }) description: string;
  @Column({ type: 'date' }) foundOn: string;
  @Column({ type: 'varchar', length: 120 }) foundBy: string;
  @Column({ type: 'varchar', length: 10 }) status: DisputeStatus;
  @Column({ type: 'date', nullable: true }) resolvedOn: string | null;
  @Column({ name: 'resolution_cipher', type: 'text', nullable: true, transformer: encryptedColumn }) resolution: string | null;
  @Column({ type: 'varchar', length: 120, nullable: true }) resolvedBy: string | null;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
  @VersionColumn() version: number;
}
