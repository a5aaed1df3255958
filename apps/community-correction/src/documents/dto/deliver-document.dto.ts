import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { CORRECTION_DOCUMENT_TYPE_LABELS, DELIVERABLE_DOCUMENT_TYPES } from '@homeward/domain';
import { DATE_WINDOWS, IsLocalDate } from '@homeward/platform';

/** POST /api/v1/correction/enrolments/{id}/documents (docs/partner-api.md, CC-3). */
export class DeliverDocumentDto {
  @ApiProperty({
    enum: DELIVERABLE_DOCUMENT_TYPES,
    description: DELIVERABLE_DOCUMENT_TYPES.map((t) => `${t} ${CORRECTION_DOCUMENT_TYPE_LABELS[t]}`).join(', '),
  })
  @IsString()
  @IsIn(DELIVERABLE_DOCUMENT_TYPES as string[], { message: `documentType must be one of ${DELIVERABLE_DOCUMENT_TYPES.join(', ')}` })
  documentType: string;

  @ApiProperty({ example: '(2026)苏0281刑初1号' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  documentNo: string;

  @ApiProperty({ example: '2026-11-20' })
  @IsLocalDate(DATE_WINDOWS.document)
  issuedDate: string;
}

export class DocumentDeliveredDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'JUDGMENT' }) documentType: string;
  @ApiProperty({ description: 'every required document (CC-3) has now arrived' }) complete: boolean;
  @ApiProperty({ type: [String], example: ['EXECUTION_NOTICE'] }) missingDocumentTypes: string[];
}
