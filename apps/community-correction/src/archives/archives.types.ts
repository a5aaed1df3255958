import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import {
  ARCHIVE_KIND_LABELS,
  ARCHIVE_STAGE_LABELS,
  ArchiveKind,
  ArchiveStage,
  ArchiveStageCompleteness,
  CORRECTION_DOCUMENT_TYPE_LABELS,
  CorrectionDocumentType,
} from '@homeward/domain';
import { ArchiveDocument } from './archive-document.entity';

const labelled = (labels: Record<string, string>) => Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, { description: v }]));
registerEnumType(ArchiveKind, { name: 'ArchiveKind', description: 'CC-19 执行档案 / 工作档案 / 电子档案', valuesMap: labelled(ARCHIVE_KIND_LABELS) });
registerEnumType(ArchiveStage, { name: 'ArchiveStage', description: 'CC-19 lifecycle stage with required documents', valuesMap: labelled(ARCHIVE_STAGE_LABELS) });

@ObjectType('ArchiveDocument', { description: 'CC-19 档案文书' })
export class ArchiveDocumentType {
  @Field(() => ID) id: string;
  @Field(() => ID) subjectId: string;
  @Field(() => ArchiveKind) archiveKind: ArchiveKind;
  @Field() archiveKindLabel: string;
  @Field(() => CorrectionDocumentType) documentType: CorrectionDocumentType;
  @Field() documentTypeLabel: string;
  @Field() title: string;
  @Field() contentType: string;
  @Field(() => Int) sizeBytes: number;
  @Field({ description: 'SHA-256 of the content, hex' }) sha256: string;
  @Field() uploadedBy: string;
  @Field() uploadedAt: Date;
}

@ObjectType('ArchiveDocumentContent', { description: 'CC-19: a document with its content' })
export class ArchiveDocumentContentType {
  @Field(() => ArchiveDocumentType) document: ArchiveDocumentType;
  @Field({ description: 'the file, base64' }) contentBase64: string;
}

@ObjectType('DocumentTypeItem')
export class DocumentTypeItem {
  @Field(() => CorrectionDocumentType) documentType: CorrectionDocumentType;
  @Field() label: string;
}

@ObjectType('ArchiveStageCompleteness', { description: 'CC-19: required documents of a stage, present and missing' })
export class ArchiveCompletenessType {
  @Field(() => ArchiveStage) stage: ArchiveStage;
  @Field() stageLabel: string;
  @Field(() => [CorrectionDocumentType]) required: CorrectionDocumentType[];
  @Field(() => [CorrectionDocumentType]) present: CorrectionDocumentType[];
  @Field(() => [CorrectionDocumentType]) missing: CorrectionDocumentType[];
  @Field(() => [DocumentTypeItem], { description: 'missing, with Chinese labels / 缺少的文书' }) missingLabelled: DocumentTypeItem[];
  @Field(() => Int, { description: '0…100' }) percent: number;
}

@InputType({ description: 'CC-19: file a document; content as base64 (at most ARCHIVE_MAX_BYTES decoded, default 10 MB)' })
export class UploadArchiveDocumentInput {
  @Field(() => ID) @IsUUID() subjectId: string;
  @Field(() => ArchiveKind) @IsEnum(ArchiveKind) archiveKind: ArchiveKind;
  @Field(() => CorrectionDocumentType) @IsEnum(CorrectionDocumentType) documentType: CorrectionDocumentType;
  @Field() @IsString() @IsNotEmpty() @MaxLength(200) title: string;
  @Field() @Matches(/^[a-z]+\/[A-Za-z0-9.+-]+$/, { message: 'contentType must be a media type such as application/pdf' }) @MaxLength(120) contentType: string;
  @Field() @IsString() @IsNotEmpty() contentBase64: string;
}

@ArgsType()
export class ArchiveDocumentsArgs {
  @Field(() => ID) @IsUUID() subjectId: string;
  @Field(() => ArchiveKind, { nullable: true }) @IsOptional() @IsEnum(ArchiveKind) archiveKind?: ArchiveKind;
}

export function toArchiveDocumentType(d: ArchiveDocument): ArchiveDocumentType {
  return {
    id: d.id,
    subjectId: d.subjectId,
    archiveKind: d.archiveKind,
    archiveKindLabel: ARCHIVE_KIND_LABELS[d.archiveKind],
    documentType: d.documentType,
    documentTypeLabel: CORRECTION_DOCUMENT_TYPE_LABELS[d.documentType] ?? d.documentType,
    title: d.title,
    contentType: d.contentType,
    sizeBytes: d.sizeBytes,
    sha256: d.sha256,
    uploadedBy: d.uploadedBy,
    uploadedAt: d.uploadedAt,
  };
}

export function toCompletenessType(c: ArchiveStageCompleteness): ArchiveCompletenessType {
  return {
    stage: c.stage,
    stageLabel: ARCHIVE_STAGE_LABELS[c.stage],
    required: c.required,
    present: c.present,
    missing: c.missing,
    missingLabelled: c.missing.map((t) => ({ documentType: t, label: CORRECTION_DOCUMENT_TYPE_LABELS[t] })),
    percent: c.percent,
  };
}
