import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { IntakeItem } from '@homeward/domain';

/** CC-5: one item of the intake checklist, done. */
@Entity({ name: 'intake_items' })
export class IntakeItemRecord {
  @PrimaryColumn('uuid')
  subjectId: string;

  @PrimaryColumn({ type: 'varchar', length: 30 })
  item: IntakeItem;

  @Column({ type: 'date' })
  doneOn: string;

  @Column({ type: 'varchar', length: 120 })
  doneBy: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
