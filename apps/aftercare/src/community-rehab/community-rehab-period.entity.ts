import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { CommunityRehabEndReason } from '@homeward/domain';

/**
 * AC-5: one community rehabilitation period (社区康复) of an aftercare case: decided (start, document
 * number, months ≤ 36 cfg), planned to end start + months − 1 day, ended with a reason. At most one
 * open (not ended) period per case.
 */
@Entity({ name: 'community_rehabilitations' })
export class CommunityRehabPeriod {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  caseId: string;

  @Column({ type: 'char', length: 64 })
  personKey: string;

  @Column({ type: 'varchar', length: 8 })
  town: string;

  @Column({ type: 'date' })
  startDate: string;

  /** The decision's document number (社区康复决定书文号). */
  @Column({ type: 'varchar', length: 100 })
  decisionNo: string;

  @Column({ type: 'int' })
  months: number;

  @Column({ type: 'date' })
  plannedEnd: string;

  @Column({ type: 'date', nullable: true })
  endedOn: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  endReason: CommunityRehabEndReason | null;

  @Column({ type: 'varchar', length: 120 })
  recordedBy: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
