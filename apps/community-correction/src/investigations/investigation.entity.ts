import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { SentenceType } from '@homeward/domain';
import { encryptedColumn } from '@homeward/platform';

export enum InvestigationStatus {
  PENDING = 'PENDING',
  COMPLETED = 'COMPLETED',
}

export enum InvestigationOpinion {
  SUITABLE = 'SUITABLE',
  UNSUITABLE = 'UNSUITABLE',
}

export const INVESTIGATION_STATUS_LABELS: Record<InvestigationStatus, string> = {
  [InvestigationStatus.PENDING]: '调查中',
  [InvestigationStatus.COMPLETED]: '已完成',
};

export const INVESTIGATION_OPINION_LABELS: Record<InvestigationOpinion, string> = {
  [InvestigationOpinion.SUITABLE]: '适用社区矫正',
  [InvestigationOpinion.UNSUITABLE]: '不适用社区矫正',
};

/** CC-14: an investigation assessment (调查评估) commissioned by a court, procuratorate, police or prison. */
@Entity({ name: 'investigations' })
export class Investigation {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'text' }) idNumberCipher: string;
  @Column({ type: 'varchar', length: 32 }) maskedIdNumber: string;
  /** Issue 6 item 2: the defendant's name, offence encrypted (FieldCipher); nameIndex = PersonKeys.nameIndex(name). */
  @Column({ name: 'name_cipher', type: 'text', transformer: encryptedColumn }) name: string;
  @Column({ type: 'char', length: 64 }) nameIndex: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'varchar', length: 120 }) requesterAgencyId: string;
  @Column({ type: 'varchar', length: 30 }) requesterAgencyKind: string;
  @Column({ type: 'varchar', length: 120 }) requestingDocumentNo: string;
  @Column({ type: 'varchar', length: 40 }) proposedSentenceType: SentenceType;
  @Column({ type: 'boolean' }) expedited: boolean;
  @Column({ name: 'offence_cipher', type: 'text', transformer: encryptedColumn }) offence: string;
  @Column({ type: 'date' }) receivedDate: string;
  @Column({ type: 'date' }) originalDueDate: string;
  @Column({ type: 'date' }) dueDate: string;
  @Column({ type: 'varchar', length: 1000, nullable: true }) extensionReason: string | null;
  @Column({ type: 'varchar', length: 12 }) status: InvestigationStatus;
  @Column({ type: 'varchar', length: 12, nullable: true }) opinion: InvestigationOpinion | null;
  /** Issue 6 item 2: the assessment of the defendant (free text naming people), encrypted. */
  @Column({ name: 'summary_cipher', type: 'text', nullable: true, transformer: encryptedColumn }) summary: string | null;
  @Column({ name: 'report_cipher', type: 'text', nullable: true, transformer: encryptedColumn }) report: string | null;
  @Column({ type: 'date', nullable: true }) completedOn: string | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) completedAt: Date | null;
  @Column({ type: 'varchar', length: 120, nullable: true }) completedBy: string | null;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
  @VersionColumn() version: number;
}
