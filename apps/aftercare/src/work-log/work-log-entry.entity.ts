import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { WorkLogKind } from '@homeward/domain';
import { encryptedColumn } from '@homeward/platform';

/** AC-7 one entry of a service station's work log (工作日志): the day, what kind of work, a note (encrypted: it may name people), by whom. */
@Entity({ name: 'work_log_entries' })
export class WorkLogEntry {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'date' }) entryDate: string;
  @Column({ type: 'varchar', length: 20 }) kind: WorkLogKind;
  @Column({ name: 'note_cipher', type: 'text', transformer: encryptedColumn }) note: string;
  @Column({ type: 'varchar', length: 120 }) recordedBy: string;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}
