import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DATE_WINDOWS, IsLocalDate, IsTownCode } from '@homeward/platform';

/**
 * The `person` object of PARTNER-API.md "Common rules". Shape is checked here (400); the ID number's
 * check digit and the town's existence are domain rules checked by the service (422).
 */
export class PersonDto {
  @ApiProperty({ example: '11010519491231002X', description: '居民身份证号码 (GB 11643)' })
  @IsString()
  @Matches(/^\d{17}[\dXx]$/, { message: 'idNumber must be 18 characters: 17 digits and a digit or X' })
  idNumber: string;

  @ApiProperty({ example: '张三' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({ enum: ['MALE', 'FEMALE'] })
  @IsOptional()
  @IsIn(['MALE', 'FEMALE'])
  gender?: 'MALE' | 'FEMALE';

  @ApiPropertyOptional({ example: '1949-12-31' })
  @IsOptional()
  @IsLocalDate(DATE_WINDOWS.birth)
  birthDate?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(40)
  phone?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(300)
  registeredAddress?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(300)
  residenceAddress?: string;

  @ApiProperty({ example: '104', description: 'town code of Jiangyin (DOMAIN.md), e.g. 104 徐霞客镇' })
  @IsString()
  @IsTownCode()
  residenceTown: string;
}
