import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { KeyCategory, ReceiptStatus, VerificationResult } from '@homeward/domain';
import { DATE_WINDOWS, IsLocalDate, PartnerPersonDto } from '@homeward/platform';

/** The person of a pre-release notice: the common `person`, plus the registered-residence town (an addition). */
export class NoticePersonDto extends PartnerPersonDto {
  @ApiPropertyOptional({
    example: '104',
    description: 'RS-1 (added): town code of the registered residence (户籍地) when the prison knows it; matched when the actual residence names no Jiangyin town',
  })
  @IsOptional()
  @IsString()
  @Matches(/^\d{3}$/, { message: 'registeredTown must be a three-digit town code / 户籍地镇街代码须为三位数字' })
  registeredTown?: string;
}

/** POST /api/v1/resettlement/pre-release-notices (docs/partner-api.md, RS-1). */
export class PreReleaseNoticeDto {
  @ApiProperty({ type: NoticePersonDto })
  @ValidateNested()
  @Type(() => NoticePersonDto)
  person: NoticePersonDto;

  @ApiProperty({ example: 'JS-2021-00417', description: '罪犯编号 (the prison\'s own number)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(60)
  prisonerNo: string;

  @ApiProperty({ example: '2027-03-01' })
  @IsLocalDate(DATE_WINDOWS.schedule)
  expectedReleaseDate: string;

  @ApiProperty({ example: '盗窃罪' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  offence: string;

  @ApiProperty({ example: '有期徒刑三年' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  sentence: string;

  @ApiProperty({ example: '改造表现一般' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  conductInPrison: string;

  @ApiProperty({ enum: KeyCategory, isArray: true, description: 'RS-3; may be empty (GENERAL)' })
  @IsArray()
  @ArrayMaxSize(7)
  @IsIn(Object.values(KeyCategory), { each: true, message: `keyCategories must be among ${Object.values(KeyCategory).join(', ')} / 重点帮教对象类别无效` })
  keyCategories: KeyCategory[];

  @ApiPropertyOptional({ example: '高血压，规律服药' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  health?: string;
}

export class PreReleaseNoticeCreatedDto {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String, example: '104', description: 'the responsible town; null = no Jiangyin town matched, in the city queue' })
  town: string | null;
  @ApiProperty() keyPerson: boolean;
}

export class NoticeReceiptDto {
  @ApiProperty({ enum: ReceiptStatus }) status: ReceiptStatus;
  @ApiPropertyOptional({ enum: VerificationResult }) verification?: VerificationResult;
  @ApiPropertyOptional() notes?: string;
  @ApiPropertyOptional({ example: '2027-02-12T09:30:00.000+08:00' }) sentAt?: string;
}
