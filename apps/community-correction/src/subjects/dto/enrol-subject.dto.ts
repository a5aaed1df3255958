import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { SuspendedPenalty } from '@homeward/domain';
import { PersonDto } from '../../partner/person.dto';
import { DATE_WINDOWS, IsLocalDate } from '@homeward/platform';

/** POST /api/v1/correction/enrolments (docs/partner-api.md). */
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

  @ApiProperty({
    required: false,
    enum: SuspendedPenalty,
    description:
      'CC-6, PROBATION only: the principal penalty the probation suspends — CRIMINAL_DETENTION 拘役 (probation 2 months–1 year) or FIXED_TERM 有期徒刑 (1–5 years). An addition: absent = not stated, accepted within 2 months–5 years and put on the officer\'s list to complete',
  })
  @IsOptional()
  @IsIn(Object.values(SuspendedPenalty), { message: 'suspendedPenalty must be CRIMINAL_DETENTION or FIXED_TERM / 缓刑所附主刑应为拘役或有期徒刑' })
  suspendedPenalty?: SuspendedPenalty;

  @ApiProperty({ required: false, minimum: 1, maximum: 36, description: 'CC-6, with suspendedPenalty only: the suspended term (原判刑期) in months (拘役 1–6, 有期徒刑 6–36); the probation may not be shorter' })
  @IsOptional()
  @IsInt({ message: 'suspendedTermMonths must be a whole number of months / 原判刑期应为整月数' })
  @Min(1)
  @Max(36)
  suspendedTermMonths?: number;

  @ApiProperty({ required: false, description: 'CC-6, CONTROL only: 管制 for several offences combined (数罪并罚, 刑法 69), up to 3 years. Absent = false' })
  @IsOptional()
  @IsBoolean()
  combinedSentences?: boolean;

  @ApiProperty({
    required: false,
    minimum: 0,
    maximum: 1095,
    description: 'CC-6, CONTROL only: days of the term credited for pre-trial detention (羁押折抵, 刑法 41: one day held = two days), as the judgment states them; the period may be that much shorter. Absent = 0',
  })
  @IsOptional()
  @IsInt({ message: 'detentionCreditDays must be a whole number of days / 羁押折抵天数应为整数' })
  @Min(0)
  @Max(1095)
  detentionCreditDays?: number;
}

export class EnrolmentCreatedDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'PENDING_REPORT' }) status: string;
  @ApiProperty({ example: '2026-11-30' }) reportDeadline: string;
}
