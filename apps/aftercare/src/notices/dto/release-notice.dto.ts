import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsNotEmpty, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { DATE_WINDOWS, FieldError, IsLocalDate, PartnerPersonDto } from '@homeward/platform';

/** AC-1: at most this many notices in one batch (a month of a centre's releases to Jiangyin). */
export const RELEASE_NOTICE_BATCH_LIMIT = 1000;

/** One release notice (即将解戒人员信息对接通知书, AC-1): validated item by item, each accepted or rejected on its own. */
export class ReleaseNoticeDto {
  @ApiProperty({ type: PartnerPersonDto })
  @IsObject()
  @ValidateNested()
  @Type(() => PartnerPersonDto)
  person: PartnerPersonDto;

  @ApiProperty({ example: 'WX-JD-2027-0117', description: 'the centre\'s own record number (戒毒人员编号)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(60)
  centreRecordNo: string;

  @ApiProperty({ example: '2027-03-10', description: 'release day; fewer than 3 days ahead → accepted and flagged late; more than 30 days past → 422' })
  @IsLocalDate(DATE_WINDOWS.schedule)
  releaseDate: string;

  @ApiProperty({ description: 'a key person (重点人员)' })
  @IsBoolean()
  keyPerson: boolean;

  @ApiProperty({ description: 'community rehabilitation (社区康复, up to 3 years) required' })
  @IsBoolean()
  communityRehabilitation: boolean;
}

/** POST /api/v1/aftercare/release-notices: a batch of 1 … 1000 notices (docs/partner-api.md, AC-1). */
export class ReleaseNoticeBatchDto {
  @ApiProperty({ type: [ReleaseNoticeDto], minItems: 1, maxItems: RELEASE_NOTICE_BATCH_LIMIT })
  @IsArray()
  @ArrayMinSize(1, { message: 'notices must hold at least one notice / 至少须有一条通知' })
  @ArrayMaxSize(RELEASE_NOTICE_BATCH_LIMIT, { message: `notices may hold at most ${RELEASE_NOTICE_BATCH_LIMIT} notices / 每批最多${RELEASE_NOTICE_BATCH_LIMIT}条` })
  notices: unknown[];
}

export class ReleaseNoticeResultDto {
  @ApiProperty({ description: 'position of the notice in the batch (0-based)' }) index: number;
  @ApiProperty({ enum: [201, 422] }) status: 201 | 422;
  @ApiPropertyOptional({ description: 'the notice id (201)' }) id?: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'the service station\'s town (201); null = the city queue' }) town?: string | null;
  @ApiPropertyOptional({ description: 'received fewer than 3 days before release (201)' }) late?: boolean;
  @ApiPropertyOptional({ description: 'field errors (422), English and Chinese' }) errors?: FieldError[];
}

export class ReleaseNoticeBatchResultDto {
  @ApiProperty({ type: [ReleaseNoticeResultDto] }) results: ReleaseNoticeResultDto[];
}
