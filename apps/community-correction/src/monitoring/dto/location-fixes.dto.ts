import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { DATE_WINDOWS, IsInstantWithin } from '@homeward/platform';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsISO8601, IsNotEmpty, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';

/** ISO 8601 instant with an offset or Z (docs/partner-api.md "instants ISO 8601 with offset"). */
const INSTANT_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

export class LocationFixDto {
  @ApiProperty({ example: 'DEV-0001' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  deviceId: string;

  @ApiProperty({ example: '2026-11-20T10:00:00+08:00' })
  @IsISO8601({ strict: true })
  @Matches(INSTANT_WITH_OFFSET, { message: 'at must be an ISO 8601 instant with an offset' })
  @IsInstantWithin(DATE_WINDOWS.instant)
  at: string;

  @ApiProperty({ example: 31.75 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat: number;

  @ApiProperty({ example: 120.33 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lng: number;

  @ApiPropertyOptional({ example: 15 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  accuracyM?: number;
}

/** POST /api/v1/correction/location-fixes (docs/partner-api.md): 1–1000 fixes a call. */
export class LocationFixesDto {
  @ApiProperty({ type: [LocationFixDto], minItems: 1, maxItems: 1000 })
  @IsDefined()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => LocationFixDto)
  fixes: LocationFixDto[];
}

export class LocationFixesAcceptedDto {
  @ApiProperty({ description: 'fixes stored (device mapped to an electronic location in force at the fix time)' })
  accepted: number;

  @ApiProperty({ description: 'fixes of unknown devices or outside the approved period (not stored)' })
  unmatched: number;
}
