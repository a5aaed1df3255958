import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { DATE_WINDOWS, IsLocalDate, PartnerPersonDto } from '@homeward/platform';

/** POST /api/v1/resettlement/releases (docs/partner-api.md, RS-5): `preReleaseNoticeId` or `person`. */
export class ReleaseDto {
  @ApiPropertyOptional({ description: 'the notice this release follows (RS-1); or give `person`' })
  @IsOptional()
  @IsUUID('all', { message: 'preReleaseNoticeId must be a notice id (UUID) / 预释放信息编号无效' })
  preReleaseNoticeId?: string;

  @ApiPropertyOptional({ type: PartnerPersonDto, description: 'when there is no notice id: the person released' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PartnerPersonDto)
  person?: PartnerPersonDto;

  @ApiProperty({ example: '2027-03-01' })
  @IsLocalDate(DATE_WINDOWS.recorded)
  actualReleaseDate: string;

  @ApiPropertyOptional({ example: '司法所工作人员王某', description: 'who the prison handed the person over to at the gate' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  handedOverTo?: string;
}

export class ReleaseCreatedDto {
  @ApiProperty() id: string;
}
