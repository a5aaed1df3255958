import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { encryptedColumn } from '@homeward/platform';

/**
 * A re-offence reported by police (重新犯罪, RS-8). Matched to the person's latest release (or
 * assistance case) before the offence; an unmatched report is kept and matched when the person
 * appears (a later release).
 */
@Entity({ name: 'reoffence_reports' })
export class ReoffenceReport {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'char', length: 64 })
  personKey: string;

  @Column({ type: 'varchar', length: 120 })
  policeAgency: string;

  @Column({ type: 'date' })
  offenceDate: string;

  @Column({ name: 'case_no_cipher', type: 'text', transformer: encryptedColumn })
  caseNo: string;

  @Column({ type: 'char', length: 64 })
  caseNoIndex: string;

  @Column({ type: 'uuid', nullable: true })
  releaseId: string | null;

  @Column({ type: 'uuid', nullable: true })
  caseId: string | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  town: string | null;

  @Column({ type: 'date' })
  reportedOn: string;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  matchedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
