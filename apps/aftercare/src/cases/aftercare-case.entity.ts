import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { AftercareCaseStatus, ClosureReason } from '@homeward/domain';

/**
 * An aftercare subject (后续照管对象) after compulsory isolated drug rehabilitation: opened by a
 * release notice (AC-1, AWAITING_CONTACT), enrolled on first contact (AC-2, ENROLLED), closed (AC-5).
 * `town` is null while the notice waits in the city queue.
 */
@Entity({ name: 'cases' })
export class AftercareCase {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'char', length: 64 })
  personKey: string;

  @Column({ type: 'varchar', length: 8, nullable: true })
  town: string | null;

  @Column({ type: 'varchar', length: 200 })
  centre: string;

  @Column({ type: 'date' })
  releaseDate: string;

  @Column({ type: 'varchar', length: 20 })
  status: AftercareCaseStatus;

  @Column({ type: 'uuid', nullable: true })
  noticeId: string | null;

  @Column({ type: 'boolean', default: false })
  keyPerson: boolean;

  /** AC-5: community rehabilitation (社区康复, up to 3 years) required. */
  @Column({ type: 'boolean', default: false })
  communityRehabilitation: boolean;

  /** AC-2: first contact due by this day (release + 7 days, cfg). */
  @Column({ type: 'date', nullable: true })
  contactDue: string | null;

  @Column({ type: 'date', nullable: true })
  contactCardIssuedOn: string | null;

  @Column({ type: 'date', nullable: true })
  firstContactOn: string | null;

  @Column({ type: 'date', nullable: true })
  enrolledOn: string | null;

  @Column({ type: 'int', default: 0 })
  relapseCount: number;

  @Column({ type: 'date', nullable: true })
  lastRelapseOn: string | null;

  @Column({ type: 'int', default: 0 })
  refusedTests: number;

  @Column({ type: 'date', nullable: true })
  seriousBreachOn: string | null;

  @Column({ type: 'date', nullable: true })
  closedOn: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  closureReason: ClosureReason | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}
