import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { DATE_WINDOWS, IsLocalDate } from '@homeward/platform';

/** The person of a re-offence report: the ID number is enough (docs/partner-api.md RS-8). */
export class ReoffencePersonDto {
  @ApiProperty({ example: '11010519491231002X' })
  @IsString()
  @Matches(/^\d{17}[\dXx]$/, { message: 'idNumber must be 18 characters: 17 digits and a digit or X / 身份证号码须为18位' })
  idNumber: string;

  @ApiPropertyOptional({ description: 'accepted, not stored: the ID number identifies the person' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;
}

/** POST /api/v1/resettlement/reoffence-reports (RS-8). */
export class ReoffenceReportDto {
  @ApiProperty({ type: ReoffencePersonDto })
  @ValidateNested()
  @Type(() => ReoffencePersonDto)
  person: ReoffencePersonDto;

  @ApiProperty({ example: '2027-06-01' })
  @IsLocalDate(DATE_WINDOWS.recorded)
  offenceDate: string;

  @ApiProperty({ example: '澄公(刑)立字[2027]123号' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  caseNo: string;
}

export class ReoffenceReportedDto {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'true when the person is a released person or assistance subject here' }) matched: boolean;
}
