import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { CorrectionDocumentType } from '@homeward/domain';

registerEnumType(CorrectionDocumentType, { name: 'CorrectionDocumentType', description: 'CC-3 / CC-19 document types (labels: documentTypeLabel)' });

@ObjectType('CorrectionDocument', { description: '法律文书 / 档案文书 (CC-3, CC-19)' })
export class CorrectionDocumentObject {
  @Field(() => ID)
  id: string;

  @Field(() => CorrectionDocumentType)
  documentType: CorrectionDocumentType;

  @Field({ description: 'Chinese label of the document type' })
  documentTypeLabel: string;

  @Field()
  documentNo: string;

  @Field()
  issuedDate: string;

  @Field()
  deliveredAt: Date;
}

@ObjectType('CorrectionDocumentRequirement', { description: 'CC-3: a required legal document' })
export class DocumentRequirementType {
  @Field(() => CorrectionDocumentType)
  documentType: CorrectionDocumentType;

  @Field()
  documentTypeLabel: string;

  @Field()
  delivered: boolean;
}
