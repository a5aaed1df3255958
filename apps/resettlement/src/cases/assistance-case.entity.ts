import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An assistance subject (安置帮教对象): a person under resettlement assistance for a period. */
@Entity({ name: 'assistance_cases' })
export class AssistanceCase {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'char', length: 64 })
  personKey: string;

  @Column({ type: 'varchar', length: 8 })
  town: string;

  /** CORRECTION_DISCHARGE (CC-20) or PRISON_RELEASE (RS-6). */
  @Column({ type: 'varchar', length: 30 })
  source: string;

  /** The record in the source workstream (correction subject id, release id). */
  @Column({ type: 'varchar', length: 80 })
  sourceRecordId: string;

  @Column({ type: 'date' })
  startDate: string;

  @Column({ type: 'date' })
  endDate: string;

  @Column({ type: 'varchar', length: 20 })
  status: string;

  /** RS-7: resettlement status (安置情况), NOT_RESETTLED until the office records another. */
  @Column({ type: 'varchar', length: 20, default: 'NOT_RESETTLED' })
  resettlementStatus: string;

  @Column({ type: 'date', nullable: true })
  resettlementStatusSince: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
