import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { encryptedColumn } from '@homeward/platform';

/**
 * AC-6 a success case (成功戒毒典型) a service station names for a year: a dossier with a title and a
 * summary (both encrypted: they tell one person's story) and files (SuccessCaseFile). `caseId` links
 * the aftercare case it is about, when the station names one.
 */
@Entity({ name: 'success_cases' })
export class SuccessCase {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'int' }) year: number;
  @Column({ type: 'uuid', nullable: true }) caseId: string | null;
  @Column({ type: 'char', length: 64, nullable: true }) personKey: string | null;
  @Column({ name: 'title_cipher', type: 'text', transformer: encryptedColumn }) title: string;
  @Column({ name: 'summary_cipher', type: 'text', transformer: encryptedColumn }) summary: string;
  @Column({ type: 'date' }) namedOn: string;
  @Column({ type: 'varchar', length: 120 }) namedBy: string;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
  @VersionColumn() version: number;
}
