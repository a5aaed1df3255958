import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { numericHours } from './check-in.entity';

/** CC-9 kinds of logged hours. */
export enum ActivityKind {
  EDUCATION = 'EDUCATION',
  COMMUNITY_SERVICE = 'COMMUNITY_SERVICE',
}

export const ACTIVITY_KIND_LABELS: Record<ActivityKind, string> = {
  [ActivityKind.EDUCATION]: '教育学习',
  [ActivityKind.COMMUNITY_SERVICE]: '社区服务（公益活动）',
};

/** CC-9: hours of education or community service on one day. */
@Entity({ name: 'activity_hours' })
export class ActivityHours {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  subjectId: string;

  @Column({ type: 'varchar', length: 20 })
  kind: ActivityKind;

  @Column({ type: 'numeric', precision: 5, scale: 2, transformer: numericHours })
  hours: number;

  @Column({ type: 'date' })
  onDate: string;

  @Column({ type: 'varchar', length: 1000, default: '' })
  note: string;

  @Column({ type: 'varchar', length: 120 })
  recordedBy: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
