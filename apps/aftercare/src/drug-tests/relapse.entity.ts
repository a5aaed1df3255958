import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { RelapseSource } from '@homeward/domain';

/** AC-4 / AC-7: one relapse marked on a case (复吸台账); K-AC2 looks back 12 months over these. */
@Entity({ name: 'relapses' })
export class Relapse {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  caseId: string;

  @Column({ type: 'char', length: 64 })
  personKey: string;

  @Column({ type: 'varchar', length: 8 })
  town: string;

  @Column({ type: 'date' })
  relapsedOn: string;

  @Column({ type: 'varchar', length: 20 })
  source: RelapseSource;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
