import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { CorrectionDocumentType } from '@homeward/domain';

/** CC-3 / CC-19: a document of a correction case (legal documents delivered by the deciding body). */
@Entity({ name: 'subject_documents' })
export class SubjectDocument {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  subjectId: string;

  @Column({ type: 'varchar', length: 40 })
  documentType: CorrectionDocumentType;

  @Column({ type: 'varchar', length: 120 })
  documentNo: string;

  @Column({ type: 'date' })
  issuedDate: string;

  /** Agency id (partner) or username (staff) that delivered it. */
  @Column({ type: 'varchar', length: 120 })
  deliveredBy: string;

  @Column({ type: 'timestamptz', precision: 3 })
  deliveredAt: Date;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
