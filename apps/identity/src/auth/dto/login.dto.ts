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

  @ApiPropertyOptional({ description: '在矫通 / 协矫通 (SUBJECT, TEAM_MEMBER): the id of the device bound at activation' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  deviceId?: string;
}

/** Issue 12 item 1: first use of a one-time activation code of 在矫通 / 协矫通. */
export class ActivateDto {
  @ApiProperty({ example: 'K7QM-2XRT-9HBD', description: 'The code the justice office handed over / 司法所提供的激活码' })
  @IsString()
  @MaxLength(40)
  code: string;

  @ApiProperty({ example: 'zhang.app', description: 'The username to log in with from now on / 登录用户名' })
  @IsString()
  @MaxLength(64)
  username: string;

  @ApiProperty({ description: 'The new password (same policy as staff) / 新密码' })
  @IsString()
  @MaxLength(1000)
  password: string;

  @ApiProperty({ description: 'An id of this device the app keeps; later logins must send it / 设备标识' })
  @IsString()
  @MaxLength(200)
  deviceId: string;
}

export class AccessTokenDto {
  @ApiProperty()
  accessToken: string;

  @ApiProperty({ description: 'Seconds until the token expires', example: 900 })
  expiresIn: number;
}
