import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** CC-2: a period of lost contact (脱管); open while foundOn is null. */
@Entity({ name: 'absconding_episodes' })
export class AbscondingEpisode {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  subjectId: string;

  @Column({ type: 'date' })
  lostContactOn: string;

  @Column({ type: 'date', nullable: true })
  foundOn: string | null;

  @Column({ type: 'varchar', length: 120 })
  recordedBy: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
