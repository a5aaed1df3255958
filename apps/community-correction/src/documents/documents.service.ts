import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import {
  CorrectionDocumentType,
  CorrectionStatus,
  DomainError,
  DomainErrorCode,
  missingDeliveryDocuments,
  parseLocalDate,
} from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { AuditWriter, Clock, Principal, agencyOwnerKey, inTransaction } from '@homeward/platform';
import { SubjectsService } from '../subjects/subjects.service';
import { DeliverDocumentDto } from './dto/deliver-document.dto';
import { SubjectDocument } from './subject-document.entity';

export interface DeliveryResult {
  document: SubjectDocument;
  complete: boolean;
  missingDocumentTypes: CorrectionDocumentType[];
}

const ENDED = [CorrectionStatus.DISCHARGED, CorrectionStatus.TERMINATED];

/** CC-3: legal documents delivered by the deciding body; completeness against the required set. */
@Injectable()
export class DocumentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly subjects: SubjectsService,
    private readonly events: EventPublisher,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
  ) {}

  /** A document from the agency that enrolled the subject (another agency: 404). */
  async deliver(caller: Principal, subjectId: string, dto: DeliverDocumentDto): Promise<DeliveryResult> {
    const issuedDate = parseLocalDate(dto.issuedDate, 'issuedDate');
    return inTransaction(this.dataSource, async (manager) => {
      const subject = await this.subjects.lockForAgency(manager, caller, subjectId);
      if (ENDED.includes(subject.status)) {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, `correction of this subject has ended (${subject.status}) / 该对象已解除或终止矫正`, {
          details: { status: subject.status },
        });
      }
      const repo = manager.getRepository(SubjectDocument);
      if (await repo.exists({ where: { subjectId, documentType: dto.documentType as CorrectionDocumentType, documentNo: dto.documentNo } })) {
        throw new DomainError(DomainErrorCode.CONFLICT, 'this document was already delivered / 该文书已送达', { field: 'documentNo' });
      }
      const document = await repo.save(
        repo.create({
          subjectId,
          documentType: dto.documentType as CorrectionDocumentType,
          documentNo: dto.documentNo,
          issuedDate,
          deliveredBy: agencyOwnerKey(caller),
          deliveredAt: this.clock.now(),
        }),
      );
      const delivered = await repo.find({ select: { documentType: true }, where: { subjectId } });
      const missing = missingDeliveryDocuments(subject.sentenceType, delivered.map((d) => d.documentType));
      await this.events.publish(manager, 'correction.documents.delivered', {
        subjectId,
        personKey: subject.personKey,
        town: subject.town,
        documentType: document.documentType,
        documentsDeadline: subject.documentsDeadline,
        complete: missing.length === 0,
        missingDocumentTypes: missing,
      });
      await this.audit.record(
        {
          actor: caller,
          action: 'correction.document.deliver',
          entityType: 'SubjectDocument',
          entityId: document.id,
          personKey: subject.personKey,
          towns: [subject.town],
          details: { subjectId, documentType: document.documentType, documentNo: document.documentNo },
        },
        manager,
      );
      return { document, complete: missing.length === 0, missingDocumentTypes: missing };
    });
  }

  /** One delivered document, for the agency that delivered it. */
  async findForAgency(caller: Principal, subjectId: string, documentId: string): Promise<SubjectDocument> {
    const doc = await this.dataSource
      .getRepository(SubjectDocument)
      .findOneBy({ id: documentId, subjectId, deliveredBy: agencyOwnerKey(caller) });
    if (!doc) throw new DomainError(DomainErrorCode.NOT_FOUND, `document ${documentId} not found / 未找到该文书`);
    return doc;
  }

  async bySubjectIds(ids: readonly string[]): Promise<Map<string, SubjectDocument[]>> {
    const out = new Map<string, SubjectDocument[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    const rows = await this.dataSource.getRepository(SubjectDocument).find({ where: { subjectId: In([...ids]) }, order: { createdAt: 'ASC', id: 'ASC' } });
    for (const row of rows) out.get(row.subjectId)?.push(row);
    return out;
  }
}
