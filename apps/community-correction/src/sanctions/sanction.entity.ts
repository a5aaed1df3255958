import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { SanctionKind } from '@homeward/domain';

/** CC-11: a sanction an officer decided (训诫 / 警告 / 提请撤销). */
@Entity({ name: 'sanctions' })
export class Sanction {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  subjectId: string;

  @Column({ type: 'varchar', length: 30 })
  kind: SanctionKind;

  @Column({ type: 'date' })
  decidedOn: string;

  @Column({ type: 'varchar', length: 1000 })
  reason: string;

  @Column({ type: 'varchar', length: 120 })
  decidedBy: string;

  @Column({ type: 'varchar', length: 120 })
  recordedBy: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** CC-11 "without improvement": the day from which an officer judged the subject improved. */
@Entity({ name: 'improvements' })
export class Improvement {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  subjectId: string;

  @Column({ type: 'date' })
  since: string;

  @Column({ type: 'varchar', length: 1000 })
  note: string;

  @Column({ type: 'varchar', length: 120 })
  recordedBy: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** CC-11: a threshold-reached event sent, so the same suggestion is announced once. */
@Entity({ name: 'sanction_threshold_notices' })
export class SanctionThresholdNotice {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  subjectId: string;

  @Column({ type: 'varchar', length: 30 })
  kind: SanctionKind;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
