import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { LeaveApprovalLevel, LeaveKind, LeaveStatus } from '@homeward/domain';
import { encryptedColumn } from '@homeward/platform';

/** CC-13: a request for leave (外出) or change of residence (变更执行地) and its decision. */
@Entity({ name: 'leaves' })
export class LeaveRequest {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) subjectId: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'varchar', length: 20 }) kind: LeaveKind;
  /** Issue 6 item 2: an address where the subject stays, encrypted (FieldCipher). */
  @Column({ name: 'destination_cipher', type: 'text', transformer: encryptedColumn }) destination: string;
  @Column({ type: 'varchar', length: 1000 }) reason: string;
  /** CC-13 RESIDENCE_CHANGE within Jiangyin: the new town (the case moves there on startDate). */
  @Column({ type: 'varchar', length: 8, nullable: true }) toTown: string | null;
  /** CC-13 RESIDENCE_CHANGE out of Jiangyin: the receiving county's area code and community-correction body. */
  @Column({ type: 'varchar', length: 6, nullable: true }) receivingCountyCode: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) receivingAuthority: string | null;
  @Column({ type: 'date' }) startDate: string;
  @Column({ type: 'date' }) endDate: string;
  /** PostgreSQL polygon literal `((lng,lat),…)`: where fixes are allowed during the leave (CC-12). */
  @Column({ type: 'polygon', nullable: true }) travelArea: string | null;
  @Column({ type: 'varchar', length: 20 }) approvalLevel: LeaveApprovalLevel;
  @Column({ type: 'varchar', length: 12 }) status: LeaveStatus;
  @Column({ type: 'varchar', length: 120 }) requestedBy: string;
  @Column({ type: 'varchar', length: 120, nullable: true }) decidedBy: string | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) decidedAt: Date | null;
  @Column({ type: 'varchar', length: 1000, nullable: true }) decisionNote: string | null;
  @Column({ type: 'date', nullable: true }) returnedOn: string | null;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
  @VersionColumn() version: number;
}
