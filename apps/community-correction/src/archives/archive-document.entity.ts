import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { ArchiveKind, CorrectionDocumentType } from '@homeward/domain';
import { encryptedColumn } from '@homeward/platform';

/** CC-19: a document filed in a subject's archive; the bytes live in ArchiveStorage under storageKey. */
@Entity({ name: 'archive_documents' })
export class ArchiveDocument {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'uuid' }) subjectId: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'varchar', length: 12 }) archiveKind: ArchiveKind;
  @Column({ type: 'varchar', length: 40 }) documentType: CorrectionDocumentType;
  /** Issue 6 item 2: titles name the person (e.g. 判决书-张三), encrypted. */
  @Column({ name: 'title_cipher', type: 'text', transformer: encryptedColumn }) title: string;
  @Column({ type: 'varchar', length: 300 }) storageKey: string;
  @Column({ type: 'varchar', length: 120 }) contentType: string;
  @Column({ type: 'integer' }) sizeBytes: number;
  @Column({ type: 'char', length: 64 }) sha256: string;
  @Column({ type: 'varchar', length: 120 }) uploadedBy: string;
  @Column({ type: 'timestamptz', precision: 3 }) uploadedAt: Date;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}
