import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { VideoVisitStatus } from '@homeward/domain';
import { DATE_WINDOWS, IsInstantWithin } from '@homeward/platform';

/** POST /api/v1/resettlement/video-visit-proposals (docs/partner-api.md, RS-10). */
export class VideoVisitProposalDto {
  @ApiProperty({ example: 'JS-2021-00417' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(60)
  prisonerNo: string;

  @ApiProperty({ example: '104', description: 'the town office whose terminal the family uses' })
  @IsString()
  @Matches(/^\d{3}$/, { message: 'town must be a three-digit town code / 镇街代码须为三位数字' })
  town: string;

  @ApiProperty({ example: '2027-02-10T09:00:00+08:00' })
  @IsInstantWithin(DATE_WINDOWS.schedule)
  proposedStart: string;

  @ApiProperty({ example: 30, minimum: 10, maximum: 120 })
  @IsInt()
  @Min(10)
  @Max(120)
  durationMinutes: number;
}

export class VideoVisitProposedDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: VideoVisitStatus, example: 'REQUESTED' }) status: VideoVisitStatus;
}
