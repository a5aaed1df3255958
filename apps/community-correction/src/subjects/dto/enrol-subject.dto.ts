import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { PersonDto } from '../../partner/person.dto';
import { DATE_WINDOWS, IsLocalDate } from '@homeward/platform';

/** POST /api/v1/correction/enrolments (PARTNER-API.md). */
export class EnrolSubjectDto {
  @ApiProperty({ type: PersonDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => PersonDto)
  person: PersonDto;

  @ApiProperty({ enum: ['CONTROL', 'PROBATION', 'PAROLE', 'TEMPORARY_OUTSIDE_EXECUTION'], description: 'CC-1' })
  @IsString()
  @IsNotEmpty()
  sentenceType: string;

  @ApiProperty({ example: '(2026)苏0281刑初123号' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  judgmentDocumentNo: string;

  @ApiProperty({ example: '2026-11-20' })
  @IsLocalDate(DATE_WINDOWS.judgment)
  judgmentEffectiveDate: string;

  @ApiProperty({ example: '2026-11-20' })
  @IsLocalDate(DATE_WINDOWS.period)
  correctionStartDate: string;

  @ApiProperty({ example: '2027-11-19' })
  @IsLocalDate(DATE_WINDOWS.period)
  correctionEndDate: string;

  @ApiProperty({ example: '盗窃罪' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  offence: string;

  @ApiProperty({ example: '江阴市人民法院' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  decidingAuthority: string;

  @ApiProperty({ required: false, description: 'CC-25: convicted of organising, leading or joining a criminal syndicate (涉黑涉恶); an addition: absent = false' })
  @IsOptional()
  @IsBoolean()
  organisedCrime?: boolean;
}

export class EnrolmentCreatedDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'PENDING_REPORT' }) status: string;
  @ApiProperty({ example: '2026-11-30' }) reportDeadline: string;
}
