import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, ValueTransformer } from 'typeorm';
import { CheckInChannel } from '@homeward/domain';

/** PostgreSQL numeric comes back as a string; hours are numbers in the code. */
export const numericHours: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};

/** CC-9: one check-in (定期报告) on one of the four channels. */
@Entity({ name: 'check_ins' })
export class CheckIn {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  subjectId: string;

  @Column({ type: 'varchar', length: 20 })
  channel: CheckInChannel;

  @Column({ type: 'timestamptz', precision: 3 })
  at: Date;

  /** The Asia/Shanghai date of `at`. */
  @Column({ type: 'date' })
  onDate: string;

  @Column({ type: 'boolean', nullable: true })
  faceMatch: boolean | null;

  /** CC-21: an APP check-in's face-match score from the device (0–1). */
  @Column({ type: 'double precision', nullable: true })
  faceMatchScore: number | null;

  @Column({ type: 'double precision', nullable: true })
  lat: number | null;

  @Column({ type: 'double precision', nullable: true })
  lng: number | null;

  @Column({ type: 'varchar', length: 1000, default: '' })
  note: string;

  /** The day this check-in was due (last check-in + interval at the time). */
  @Column({ type: 'date' })
  dueOn: string;

  /** Days after `dueOn` (0 when on time): a late report for CC-11. */
  @Column({ type: 'integer', default: 0 })
  daysLate: number;

  @Column({ type: 'varchar', length: 120 })
  recordedBy: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
