import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsString, Max, MaxLength, Min } from 'class-validator';
import { VideoVisitStatus } from '@homeward/domain';
import { DATE_WINDOWS, IsInstantWithin, IsTownCode } from '@homeward/platform';

/** POST /api/v1/resettlement/video-visit-proposals (docs/partner-api.md, RS-10). */
export class VideoVisitProposalDto {
  @ApiProperty({ example: 'JS-2021-00417' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(60)
  prisonerNo: string;

  @ApiProperty({ example: '104', description: 'the town office whose terminal the family uses' })
  @IsString()
  @IsTownCode()
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
