import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An aftercare subject (后续照管对象) after compulsory isolated drug rehabilitation. */
@Entity({ name: 'cases' })
export class AftercareCase {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'char', length: 64 })
  personKey: string;

  @Column({ type: 'varchar', length: 8 })
  town: string;

  @Column({ type: 'varchar', length: 200 })
  centre: string;

  @Column({ type: 'date' })
  releaseDate: string;

  @Column({ type: 'varchar', length: 20 })
  status: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
