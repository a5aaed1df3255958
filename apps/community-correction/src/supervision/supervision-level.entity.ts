import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { SupervisionLevel } from '@homeward/domain';

/** CC-8: one level decision (严管/普管/宽管); the history is kept, the latest row is the current level. */
@Entity({ name: 'supervision_levels' })
@Index(['subjectId', 'createdAt'])
export class SupervisionLevelChange {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  subjectId: string;

  @Column({ type: 'varchar', length: 10 })
  level: SupervisionLevel;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @Column({ type: 'boolean', default: false })
  highRisk: boolean;

  @Column({ type: 'date' })
  effectiveOn: string;

  @Column({ type: 'varchar', length: 120 })
  decidedBy: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
