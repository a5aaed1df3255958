import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** CC-7: the correction plan (矫正方案) of a subject; changing its content withdraws the approval. */
@Entity({ name: 'plans' })
export class CorrectionPlan {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid', unique: true })
  subjectId: string;

  @Column({ type: 'text' })
  content: string;

  @Column({ type: 'boolean', default: false })
  approved: boolean;

  @Column({ type: 'varchar', length: 120, nullable: true })
  approvedBy: string | null;

  @Column({ type: 'date', nullable: true })
  approvedOn: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}
