import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { ResidenceTransferStatus } from '@homeward/domain';

/** What a transfer out of the county hands over (counts and ids only; the receiving county's hand-over record). */
export interface HandoverSummary {
  archiveDocuments?: number;
  assignmentsEnded?: number;
  teamMembersEnded?: number;
  monitoringsEnded?: number;
  volunteerServicesEnded?: number;
}

/**
 * CC-13: an approved change of residence (变更执行地) and its carrying out on `effectiveDate`: the case
 * moves to `toTown`, or out of Jiangyin to `receivingCountyCode` (the hand-over record, 移交记录).
 */
@Entity({ name: 'residence_transfers' })
export class ResidenceTransfer {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) leaveId: string;
  @Column({ type: 'uuid' }) subjectId: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'varchar', length: 8 }) fromTown: string;
  @Column({ type: 'varchar', length: 8, nullable: true }) toTown: string | null;
  @Column({ type: 'varchar', length: 6, nullable: true }) receivingCountyCode: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) receivingAuthority: string | null;
  @Column({ type: 'date' }) effectiveDate: string;
  @Column({ type: 'varchar', length: 10 }) status: ResidenceTransferStatus;
  @Column({ type: 'varchar', length: 120 }) approvedBy: string;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) appliedAt: Date | null;
  @Column({ type: 'jsonb', default: {} }) handover: HandoverSummary;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
  @VersionColumn() version: number;
}
