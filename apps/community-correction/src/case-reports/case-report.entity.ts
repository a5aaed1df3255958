import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** CC-28: an exemplary case a justice office reports for a month (案例报送); the city accepts it or not (录用). */
@Entity({ name: 'case_reports' })
export class CaseReport {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  /** YYYY-MM the report is for. */
  @Column({ type: 'char', length: 7 }) month: string;
  /** Title and narrative, field-encrypted: a case story names people. */
  @Column({ type: 'text' }) titleCipher: string;
  @Column({ type: 'text' }) narrativeCipher: string;
  /** The subject the case is about, if any (correction's own id, no person data). */
  @Column({ type: 'uuid', nullable: true }) subjectId: string | null;
  @Column({ type: 'varchar', length: 10 }) status: 'REPORTED' | 'ACCEPTED' | 'DECLINED';
  @Column({ type: 'varchar', length: 120 }) reportedBy: string;
  @Column({ type: 'date' }) reportedOn: string;
  @Column({ type: 'varchar', length: 120, nullable: true }) decidedBy: string | null;
  @Column({ type: 'date', nullable: true }) decidedOn: string | null;
  @Column({ type: 'varchar', length: 1000, nullable: true }) decisionNote: string | null;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
  @VersionColumn() version: number;
}
