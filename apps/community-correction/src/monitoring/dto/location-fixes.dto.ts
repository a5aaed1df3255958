import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { DATE_WINDOWS, IsInstantWithin } from '@homeward/platform';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsISO8601, IsNotEmpty, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';

/** ISO 8601 instant with an offset or Z (docs/partner-api.md "instants ISO 8601 with offset"). */
export const INSTANT_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** The limits of a batch and a fix: the decorators below and LocationFixesPipe's loop read the same numbers. */
export const LOCATION_FIX_LIMITS = { maxFixes: 1000, deviceIdMaxLength: 64, lat: 90, lng: 180 } as const;

export class LocationFixDto {
  @ApiProperty({ example: 'DEV-0001' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(LOCATION_FIX_LIMITS.deviceIdMaxLength)
  deviceId: string;

  @ApiProperty({ example: '2026-11-20T10:00:00+08:00' })
  @IsISO8601({ strict: true })
  @Matches(INSTANT_WITH_OFFSET, { message: 'at must be an ISO 8601 instant with an offset' })
  @IsInstantWithin(DATE_WINDOWS.instant)
  at: string;

  @ApiProperty({ example: 31.75 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-LOCATION_FIX_LIMITS.lat)
  @Max(LOCATION_FIX_LIMITS.lat)
  lat: number;

  @ApiProperty({ example: 120.33 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-LOCATION_FIX_LIMITS.lng)
  @Max(LOCATION_FIX_LIMITS.lng)
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
  @ArrayMaxSize(LOCATION_FIX_LIMITS.maxFixes)
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
