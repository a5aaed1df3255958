import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { encryptedColumn } from '@homeward/platform';

/** RS-9 a prison outreach visit (延伸帮教) by a town office. */
@Entity({ name: 'outreach_visits' })
export class OutreachVisit {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'varchar', length: 200 }) prisonName: string;
  @Column({ type: 'date' }) visitedOn: string;
  @Column({ type: 'integer' }) participants: number;
  @Column({ name: 'note_cipher', type: 'text', nullable: true, transformer: encryptedColumn }) note: string | null;
  @Column({ type: 'varchar', length: 80 }) recordedBy: string;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}

/** RS-12 a social worker on a town's resettlement roster (counted against 1 per 50 subjects). */
@Entity({ name: 'social_workers' })
export class SocialWorkerEntry {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ name: 'name_cipher', type: 'text', transformer: encryptedColumn }) name: string;
  @Column({ type: 'date' }) startedOn: string;
  @Column({ type: 'date', nullable: true }) endedOn: string | null;
  @Column({ type: 'varchar', length: 80 }) recordedBy: string;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}
