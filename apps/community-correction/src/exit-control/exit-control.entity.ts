import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** CC-15: the subject is reported as not allowed to leave the country (出境报备) until withdrawn. */
@Entity({ name: 'exit_controls' })
export class ExitControl {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  subjectId: string;

  @Column({ type: 'char', length: 64 })
  personKey: string;

  @Column({ type: 'varchar', length: 8 })
  town: string;

  @Column({ type: 'timestamptz', precision: 3 })
  reportedAt: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  withdrawnAt: Date | null;

  /** The status that ended correction (DISCHARGED / TERMINATED). */
  @Column({ type: 'varchar', length: 20, nullable: true })
  withdrawalReason: string | null;
}
