import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DATE_WINDOWS, IsLocalDate } from '../input';

/**
 * The `person` object of docs/partner-api.md "Common rules", as every service's partner routes
 * accept it. Shape only (400); the ID number's check digit and what a service does with the town
 * are domain rules its service checks (422, or the city queue in resettlement).
 */
export class PartnerPersonDto {
  @ApiProperty({ example: '11010519491231002X', description: '居民身份证号码 (GB 11643)' })
  @IsString()
  @Matches(/^\d{17}[\dXx]$/, { message: 'idNumber must be 18 characters: 17 digits and a digit or X / 身份证号码须为18位' })
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

  /** A three-digit code; whether it must name a Jiangyin town is the service's rule (correction: @IsTownCode; resettlement: the city queue). */
  @ApiProperty({ example: '104', description: 'town code of Jiangyin (docs/domain.md), e.g. 104 徐霞客镇' })
  @IsString()
  @Matches(/^\d{3}$/, { message: 'residenceTown must be a three-digit town code / 居住地镇街代码须为三位数字' })
  residenceTown: string;
}
