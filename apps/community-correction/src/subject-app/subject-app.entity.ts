import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { encryptedColumn } from '@homeward/platform';
import { numericHours } from '../check-ins/check-in.entity';
import { ActivityKind } from '../check-ins/activity-hours.entity';

/** CC-21: an APP check-in whose face-match score was below the threshold: recorded, meets no obligation. */
@Entity({ name: 'app_check_in_failures' })
export class AppCheckInFailure {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) subjectId: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'timestamptz', precision: 3 }) at: Date;
  @Column({ type: 'double precision' }) faceMatchScore: number;
  @Column({ type: 'double precision' }) threshold: number;
  @Column({ type: 'double precision' }) lat: number;
  @Column({ type: 'double precision' }) lng: number;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}

export enum SelfReportStatus {
  PENDING = 'PENDING',
  CONFIRMED = 'CONFIRMED',
  REJECTED = 'REJECTED',
}

export const SELF_REPORT_STATUS_LABELS: Record<SelfReportStatus, string> = {
  [SelfReportStatus.PENDING]: '待确认',
  [SelfReportStatus.CONFIRMED]: '已确认',
  [SelfReportStatus.REJECTED]: '未予确认',
};

/** CC-21: self-study (自主学习) or self community service (自主公益) the subject reports; counts once an officer confirms it. */
@Entity({ name: 'self_reported_hours' })
export class SelfReportedHours {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) subjectId: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'varchar', length: 20 }) kind: ActivityKind;
  @Column({ type: 'numeric', precision: 5, scale: 2, transformer: numericHours }) hours: number;
  @Column({ type: 'date' }) onDate: string;
  @Column({ name: 'note_cipher', type: 'text', transformer: encryptedColumn }) note: string;
  @Column({ type: 'varchar', length: 10 }) status: SelfReportStatus;
  @Column({ type: 'varchar', length: 120, nullable: true }) decidedBy: string | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) decidedAt: Date | null;
  @Column({ type: 'varchar', length: 1000, nullable: true }) rejectReason: string | null;
  @Column({ type: 'uuid', nullable: true }) activityHoursId: string | null;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
  @VersionColumn() version: number;
}

/** CC-21: a message from the justice office to the subject (shown in 在矫通). */
@Entity({ name: 'subject_messages' })
export class SubjectMessage {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) subjectId: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ name: 'body_cipher', type: 'text', transformer: encryptedColumn }) body: string;
  @Column({ type: 'varchar', length: 120 }) sentBy: string;
  @Column({ type: 'timestamptz', precision: 3 }) sentAt: Date;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) readAt: Date | null;
}
