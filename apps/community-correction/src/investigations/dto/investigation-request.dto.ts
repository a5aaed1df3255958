import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { PersonDto } from '../../partner/person.dto';
import { DATE_WINDOWS, IsLocalDate } from '@homeward/platform';

/** POST /api/v1/correction/investigation-requests (docs/partner-api.md, CC-14). */
export class InvestigationRequestDto {
  @ApiProperty({ type: PersonDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => PersonDto)
  person: PersonDto;

  @ApiProperty({ example: '(2026)苏0281刑初88号委托函' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  requestingDocumentNo: string;

  @ApiProperty({ enum: ['CONTROL', 'PROBATION', 'PAROLE', 'TEMPORARY_OUTSIDE_EXECUTION'], description: 'CC-1' })
  @IsString()
  @IsNotEmpty()
  proposedSentenceType: string;

  @ApiProperty({ description: '速裁 (5 working days instead of 10)' })
  @IsDefined()
  @IsBoolean()
  expedited: boolean;

  @ApiProperty({ example: '危险驾驶罪' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  offence: string;

  @ApiPropertyOptional({ example: '2026-11-20', description: 'the day the commission reached the bureau; default today' })
  @IsOptional()
  @IsLocalDate(DATE_WINDOWS.document)
  receivedDate?: string;
}

export class InvestigationCreatedDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: '2026-12-04' }) dueDate: string;
  @ApiProperty({ example: 'PENDING' }) status: string;
}

export class InvestigationStatusDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['PENDING', 'COMPLETED'] }) status: string;
  @ApiProperty() dueDate: string;
  @ApiPropertyOptional({ enum: ['SUITABLE', 'UNSUITABLE'] }) opinion?: string;
  @ApiPropertyOptional() summary?: string;
  @ApiPropertyOptional({ description: 'the assessment report / 调查评估报告' }) report?: string;
  @ApiPropertyOptional() completedAt?: string;
}
