import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { encryptedColumn } from '@homeward/platform';

export enum ProcuratorateNoticeKind {
  SUGGESTION = 'SUGGESTION',
  CORRECTION_NOTICE = 'CORRECTION_NOTICE',
}

export enum ProcuratorateNoticeStatus {
  RECEIVED = 'RECEIVED',
  REPLIED = 'REPLIED',
}

export const PROCURATORATE_NOTICE_KIND_LABELS: Record<ProcuratorateNoticeKind, string> = {
  [ProcuratorateNoticeKind.SUGGESTION]: '检察建议',
  [ProcuratorateNoticeKind.CORRECTION_NOTICE]: '纠正违法通知书',
};

export const PROCURATORATE_NOTICE_STATUS_LABELS: Record<ProcuratorateNoticeStatus, string> = {
  [ProcuratorateNoticeStatus.RECEIVED]: '待回复',
  [ProcuratorateNoticeStatus.REPLIED]: '已回复',
};

/** CC-16: a procuratorate notice about a subject, and the reply. */
@Entity({ name: 'procuratorate_notices' })
export class ProcuratorateNotice {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) subjectId: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'varchar', length: 120 }) agencyId: string;
  @Column({ type: 'varchar', length: 20 }) kind: ProcuratorateNoticeKind;
  @Column({ type: 'varchar', length: 120 }) documentNo: string;
  @Column({ type: 'date' }) issuedDate: string;
  /** Issue 6 item 2: the notice and the reply name the subject (free text), encrypted. */
  @Column({ name: 'content_cipher', type: 'text', transformer: encryptedColumn }) content: string;
  @Column({ type: 'date' }) replyDue: string;
  @Column({ type: 'varchar', length: 10 }) status: ProcuratorateNoticeStatus;
  @Column({ name: 'reply_cipher', type: 'text', nullable: true, transformer: encryptedColumn }) reply: string | null;
  @Column({ type: 'date', nullable: true }) repliedOn: string | null;
  @Column({ type: 'varchar', length: 120, nullable: true }) repliedBy: string | null;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
  @VersionColumn() version: number;
}
