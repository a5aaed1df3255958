import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Missing fields are not a 400: every failure to log in answers the same 401. */
export class LoginDto {
  @ApiProperty({ example: 'officer.xxk' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  username: string;

  @ApiProperty()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  password: string;

  @ApiPropertyOptional({ description: 'TOTP code, required for CITY_ADMIN, SECURITY_ADMIN, SYSTEM_ADMIN, AUDITOR', example: '123456' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  totp?: string;
}

export class AccessTokenDto {
  @ApiProperty()
  accessToken: string;

  @ApiProperty({ description: 'Seconds until the token expires', example: 900 })
  expiresIn: number;
}
