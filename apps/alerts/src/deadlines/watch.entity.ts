import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A due-date rule waiting on one record: raised at `dueAt` unless an event satisfied it first.
 * Alerts learns the state of other services' records only from their events, so the watch is
 * this service's own copy of "still pending".
 */
@Entity({ name: 'watches' })
export class Watch {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 60 })
  rule: string;

  @Column({ type: 'varchar', length: 60 })
  recordType: string;

  @Column({ type: 'varchar', length: 80 })
  recordId: string;

  @Column({ type: 'char', length: 64, nullable: true })
  personKey: string | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  town: string | null;

  @Column({ type: 'timestamptz', precision: 3 })
  dueAt: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  satisfiedAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  firedAt: Date | null;

  /** When the watch was last armed (the arming event's time): an older arming never overwrites it. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  armedAt: Date | null;

  /** Issue 13: the due time whose delayed check was written to the outbox (null: none yet; see DeadlineScheduler). */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  checkDueAt: Date | null;

  @Column({ type: 'jsonb', default: {} })
  details: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
