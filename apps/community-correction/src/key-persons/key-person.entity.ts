import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn } from 'typeorm';

/** CC-10 flag levels (挂牌). */
export enum KeyPersonFlagLevel {
  CITY = 'CITY',
  TOWN = 'TOWN',
}

export const KEY_PERSON_FLAG_LEVEL_LABELS: Record<KeyPersonFlagLevel, string> = {
  [KeyPersonFlagLevel.CITY]: '市级挂牌',
  [KeyPersonFlagLevel.TOWN]: '镇级挂牌',
};

/** CC-10 progress of transformation (转化). */
export enum TransformationProgress {
  NOT_STARTED = 'NOT_STARTED',
  IN_PROGRESS = 'IN_PROGRESS',
  TRANSFORMED = 'TRANSFORMED',
}

export const TRANSFORMATION_PROGRESS_LABELS: Record<TransformationProgress, string> = {
  [TransformationProgress.NOT_STARTED]: '未转化',
  [TransformationProgress.IN_PROGRESS]: '转化中',
  [TransformationProgress.TRANSFORMED]: '已转化',
};

/** CC-10: one town's determination for one month (一月一认定); a correction is a new version, never an overwrite. */
@Entity({ name: 'key_person_determinations' })
export class KeyPersonDetermination {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 8 })
  town: string;

  @Column({ type: 'char', length: 7 })
  month: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'varchar', length: 1000, default: '' })
  note: string;

  @Column({ type: 'varchar', length: 120 })
  recordedBy: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @OneToMany(() => KeyPersonEntry, (e) => e.determination)
  entries?: KeyPersonEntry[];
}

/** CC-10: one key person in a determination. */
@Entity({ name: 'key_person_entries' })
export class KeyPersonEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  determinationId: string;

  @ManyToOne(() => KeyPersonDetermination, (d) => d.entries)
  @JoinColumn({ name: 'determination_id' })
  determination?: KeyPersonDetermination;

  @Column({ type: 'uuid' })
  subjectId: string;

  @Column({ type: 'text', array: true })
  reasons: string[];

  @Column({ type: 'varchar', length: 8 })
  flagLevel: KeyPersonFlagLevel;

  @Column({ type: 'varchar', length: 20 })
  transformationProgress: TransformationProgress;

  @Column({ type: 'boolean', default: false })
  released: boolean;
}
