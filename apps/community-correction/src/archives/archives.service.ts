import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ArchiveKind, ArchiveStageCompleteness, CorrectionDocumentType, DomainError, DomainErrorCode, archiveCompleteness } from '@homeward/domain';
import { AuditWriter, Clock, Principal, RecordAccess } from '@homeward/platform';
import { CorrectionConfig } from '../config';
import { SubjectAccess } from '../subjects/subject-access';
import { CorrectionSubject } from '../subjects/subject.entity';
import { ArchiveDocument } from './archive-document.entity';
import { ArchiveStorage } from '@homeward/platform/archive-storage';

export interface UploadArchiveDocument {
  subjectId: string;
  archiveKind: ArchiveKind;
  documentType: CorrectionDocumentType;
  title: string;
  contentType: string;
  contentBase64: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** CC-19: archive documents (metadata in PostgreSQL, bytes in ArchiveStorage) and completeness per stage. */
@Injectable()
export class ArchivesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storage: ArchiveStorage,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    @Inject(CorrectionConfig) private readonly config: CorrectionConfig,
    private readonly subjects: SubjectAccess,
  ) {
    this.documents = new RecordAccess(audit, { entity: ArchiveDocument, what: 'archive document' });
  }

  private readonly documents: RecordAccess<ArchiveDocument>;

  /** CC-19: files a document; content over ARCHIVE_MAX_BYTES or not base64 → VALIDATION_FAILED. */
  async upload(caller: Principal, input: UploadArchiveDocument): Promise<ArchiveDocument> {
    const b64 = input.contentBase64.replace(/\s+/g, '');
    if (b64.length % 4 !== 0 || !BASE64.test(b64)) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'content is not base64 / 文件内容不是有效的 base64', { field: 'contentBase64' });
    }
    // Decoded size from the base64 length, checked before decoding.
    const size = (b64.length / 4) * 3 - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);
    if (size > this.config.ARCHIVE_MAX_BYTES) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `file larger than ${this.config.ARCHIVE_MAX_BYTES} bytes / 文件超过大小上限`, {
        field: 'contentBase64',
        details: { sizeBytes: size, maxBytes: this.config.ARCHIVE_MAX_BYTES },
      });
    }
    const bytes = Buffer.from(b64, 'base64');
    const id = randomUUID();
    let storedKey: string | null = null;
    try {
      return await this.dataSource.transaction(async (manager) => {
        const subject = await this.subjects.forChange(manager, caller, input.subjectId, 'correction.archive.upload');
        const key = `correction/${subject.id}/${id}`;
        await this.storage.put(key, bytes, input.contentType);
        storedKey = key;
        const doc = manager.getRepository(ArchiveDocument).create({
          id,
          subjectId: subject.id,
          personKey: subject.personKey,
          town: subject.town,
          archiveKind: input.archiveKind,
          documentType: input.documentType,
          title: input.title,
          storageKey: key,
          contentType: input.contentType,
          sizeBytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          uploadedBy: caller.username ?? caller.sub,
          uploadedAt: this.clock.now(),
        });
        await manager.save(doc);
        await this.audit.record(
          {
            actor: caller,
            action: 'correction.archive.upload',
            entityType: 'ArchiveDocument',
            entityId: id,
            personKey: subject.personKey,
            towns: [subject.town],
            details: { subjectId: subject.id, archiveKind: doc.archiveKind, documentType: doc.documentType, sizeBytes: doc.sizeBytes, sha256: doc.sha256 },
          },
          manager,
        );
        return doc;
      });
    } catch (e) {
      // The row did not commit: do not leave an orphan file behind.
      if (storedKey) await this.storage.delete(storedKey).catch(() => undefined);
      throw e;
    }
  }

  /** CC-19: a subject's archive documents (another town's subject → NOT_FOUND), audited. */
  async list(caller: Principal, subjectId: string, archiveKind?: ArchiveKind): Promise<ArchiveDocument[]> {
    const subject = await this.visibleSubject(caller, subjectId, 'correction.archive.list');
    const docs = await this.dataSource.getRepository(ArchiveDocument).find({
      where: { subjectId: subject.id, ...(archiveKind ? { archiveKind } : {}) },
      order: { uploadedAt: 'ASC', id: 'ASC' },
    });
    await this.audit.record({ actor: caller, action: 'correction.archive.list', entityType: 'ArchiveDocument', personKey: subject.personKey, towns: [subject.town], details: { subjectId, ids: docs.map((d) => d.id) } });
    return docs;
  }

  /** CC-19: a document with its bytes (read from storage), audited. */
  async content(caller: Principal, id: string): Promise<{ document: ArchiveDocument; bytes: Buffer }> {
    const document = await this.visibleDocument(caller, id, 'correction.archive.read');
    const bytes = await this.storage.get(document.storageKey);
    await this.audit.record({ actor: caller, action: 'correction.archive.read', entityType: 'ArchiveDocument', entityId: id, personKey: document.personKey, towns: [document.town] });
    return { document, bytes };
  }

  /** CC-19: removes a wrongly filed document (row and bytes), audited in the same transaction. */
  async remove(caller: Principal, id: string): Promise<ArchiveDocument> {
    const document = await this.dataSource.transaction(async (manager) => {
      const doc = await this.documents.forChange(manager, caller, id, 'correction.archive.delete');
      await manager.delete(ArchiveDocument, { id });
      await this.audit.record(
        { actor: caller, action: 'correction.archive.delete', entityType: 'ArchiveDocument', entityId: id, personKey: doc.personKey, towns: [doc.town], details: { subjectId: doc.subjectId, documentType: doc.documentType, sha256: doc.sha256 } },
        manager,
      );
      return doc;
    });
    await this.storage.delete(document.storageKey);
    return document;
  }

  /** CC-19: completeness of one subject's archive per reached stage (audited read). */
  async completeness(caller: Principal, subjectId: string): Promise<ArchiveStageCompleteness[]> {
    const subject = await this.visibleSubject(caller, subjectId, 'correction.archive.completeness');
    const onFile = await this.documentTypesOf([subject.id]);
    await this.audit.record({ actor: caller, action: 'correction.archive.completeness', entityType: 'CorrectionSubject', entityId: subject.id, personKey: subject.personKey, towns: [subject.town] });
    return archiveCompleteness(subject.status, onFile.get(subject.id) ?? []);
  }

  /**
   * CC-19: document types on file per subject, in one round trip for many subjects: documents filed
   * in the archive and legal documents delivered by the deciding body (CC-3) both count.
   */
  async documentTypesOf(subjectIds: readonly string[]): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    if (subjectIds.length === 0) return out;
    const rows: { subject_id: string; document_type: string }[] = await this.dataSource.query(
      `SELECT subject_id, document_type FROM correction.archive_documents WHERE subject_id = ANY($1::uuid[])
       UNION SELECT subject_id, document_type FROM correction.subject_documents WHERE subject_id = ANY($1::uuid[])`,
      [[...subjectIds]],
    );
    for (const r of rows) {
      const set = out.get(r.subject_id) ?? new Set<string>();
      set.add(r.document_type);
      out.set(r.subject_id, set);
    }
    return out;
  }

  private visibleSubject(caller: Principal, id: string, action: string): Promise<CorrectionSubject> {
    return this.subjects.forRead(this.dataSource.manager, caller, id, action);
  }

  private visibleDocument(caller: Principal, id: string, action: string): Promise<ArchiveDocument> {
    return this.documents.forRead(this.dataSource.manager, caller, id, action);
  }

}

