import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import { DATE_WINDOWS, IsLocalDate } from '@homeward/platform';

/** POST /api/v1/correction/procuratorate-notices (docs/partner-api.md, CC-16). */
export class ProcuratorateNoticeDto {
  @ApiProperty({ description: 'the correction subject (id from the enrolment)' })
  @IsUUID()
  subjectId: string;

  @ApiProperty({ enum: ['SUGGESTION', 'CORRECTION_NOTICE'], description: '检察建议 / 纠正违法通知书' })
  @IsIn(['SUGGESTION', 'CORRECTION_NOTICE'])
  kind: 'SUGGESTION' | 'CORRECTION_NOTICE';

  @ApiProperty({ example: '澄检建〔2026〕12号' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  documentNo: string;

  @ApiProperty({ example: '2026-11-20' })
  @IsLocalDate(DATE_WINDOWS.document)
  issuedDate: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(20_000)
  content: string;
}

export class ProcuratorateNoticeCreatedDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: '2026-12-05' }) replyDue: string;
}
