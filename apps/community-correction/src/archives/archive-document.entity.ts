import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { ArchiveKind, CorrectionDocumentType } from '@homeward/domain';

/** CC-19: a document filed in a subject's archive; the bytes live in ArchiveStorage under storageKey. */
@Entity({ name: 'archive_documents' })
export class ArchiveDocument {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'uuid' }) subjectId: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'varchar', length: 12 }) archiveKind: ArchiveKind;
  @Column({ type: 'varchar', length: 40 }) documentType: CorrectionDocumentType;
  @Column({ type: 'varchar', length: 200 }) title: string;
  @Column({ type: 'varchar', length: 300 }) storageKey: string;
  @Column({ type: 'varchar', length: 120 }) contentType: string;
  @Column({ type: 'integer' }) sizeBytes: number;
  @Column({ type: 'char', length: 64 }) sha256: string;
  @Column({ type: 'varchar', length: 120 }) uploadedBy: string;
  @Column({ type: 'timestamptz', precision: 3 }) uploadedAt: Date;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}
