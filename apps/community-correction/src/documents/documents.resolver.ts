import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CORRECTION_DOCUMENT_TYPE_LABELS, requiredDeliveryDocuments } from '@homeward/domain';
import { CorrectionSubjectType } from '../subjects/subject.types';
import { LoaderContext, fieldLoader } from '@homeward/platform';
import { SubjectDocument } from './subject-document.entity';
import { DocumentsService } from './documents.service';
import { CorrectionDocumentObject, DocumentRequirementType } from './documents.types';

@Resolver(() => CorrectionSubjectType)
export class DocumentsResolver {
  constructor(private readonly documentsService: DocumentsService) {}

  @ResolveField(() => [CorrectionDocumentObject], { description: 'CC-3 / CC-19: documents of the case, oldest first' })
  async documents(@Parent() subject: CorrectionSubjectType, @Context() ctx: LoaderContext): Promise<CorrectionDocumentObject[]> {
    const rows = await this.load(ctx, subject.id);
    return rows.map((d) => ({
      id: d.id,
      documentType: d.documentType,
      documentTypeLabel: CORRECTION_DOCUMENT_TYPE_LABELS[d.documentType] ?? d.documentType,
      documentNo: d.documentNo,
      issuedDate: d.issuedDate,
      deliveredAt: d.deliveredAt,
    }));
  }

  @ResolveField(() => [DocumentRequirementType], { description: 'CC-3: the required legal documents and whether each arrived' })
  async requiredDocuments(@Parent() subject: CorrectionSubjectType, @Context() ctx: LoaderContext): Promise<DocumentRequirementType[]> {
    const have = new Set((await this.load(ctx, subject.id)).map((d) => d.documentType));
    return requiredDeliveryDocuments(subject.sentenceType).map((t) => ({ documentType: t, documentTypeLabel: CORRECTION_DOCUMENT_TYPE_LABELS[t], delivered: have.has(t) }));
  }

  private load(ctx: LoaderContext, id: string): Promise<SubjectDocument[]> {
    return fieldLoader<SubjectDocument[]>(ctx, 'documents', (ids) => this.documentsService.bySubjectIds(ids), []).load(id);
  }
}
