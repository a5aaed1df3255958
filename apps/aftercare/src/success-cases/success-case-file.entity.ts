import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { SuccessCaseFileKind } from '@homeward/domain';
import { encryptedColumn } from '@homeward/platform';

/** AC-6 a document or picture of a success-case dossier; the bytes live sealed in ArchiveStorage under `storageKey`. */
@Entity({ name: 'success_case_files' })
export class SuccessCaseFile {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'uuid' }) successCaseId: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'varchar', length: 12 }) kind: SuccessCaseFileKind;
  @Column({ name: 'title_cipher', type: 'text', transformer: encryptedColumn }) title: string;
  @Column({ type: 'varchar', length: 300 }) storageKey: string;
  @Column({ type: 'varchar', length: 120 }) contentType: string;
  @Column({ type: 'integer' }) sizeBytes: number;
  @Column({ type: 'char', length: 64 }) sha256: string;
  @Column({ type: 'varchar', length: 120 }) uploadedBy: string;
  @Column({ type: 'timestamptz', precision: 3 }) uploadedAt: Date;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}
