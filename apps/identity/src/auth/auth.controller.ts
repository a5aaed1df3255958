import { Body, Controller, Headers, HttpCode, Ip, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal, Public, type Principal } from '@homeward/platform';
import { AuthService } from './auth.service';
import { AccessTokenDto, ActivateDto, LoginDto } from './dto/login.dto';

function bearer(authorization: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return m?.[1];
}

/** Staff login. Served under /api/v1/auth (through the gateway). */
@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Staff login / 工作人员登录', description: 'Password, plus a TOTP code for admin roles. Any failure: 401.' })
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiUnauthorizedResponse({ description: 'invalid credentials / 用户名或密码错误' })
  @ApiTooManyRequestsResponse({ description: 'too many attempts from this address or on this username; see Retry-After' })
  login(@Body() body: LoginDto, @Ip() ip: string, @Headers('x-request-id') requestId?: string): Promise<AccessTokenDto> {
    return this.auth.login({ username: body.username, password: body.password, totp: body.totp, deviceId: body.deviceId }, { requestId, ip });
  }

  @Public()
  @Post('activate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Activate 在矫通 / 协矫通 with a one-time code / 激活账号',
    description:
      'The subject or team member sets a username and password and binds this device with the code the justice office issued. A wrong, used, superseded or expired code: 401. Later logins send the same deviceId.',
  })
  @ApiBody({ type: ActivateDto })
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiUnauthorizedResponse({ description: 'activation code invalid or expired / 激活码无效或已过期' })
  @ApiTooManyRequestsResponse({ description: 'too many attempts from this address; see Retry-After' })
  activate(@Body() body: ActivateDto, @Ip() ip: string, @Headers('x-request-id') requestId?: string): Promise<AccessTokenDto> {
    return this.auth.activate(body, { requestId, ip });
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'New token for the same session / 刷新令牌',
    description: 'Send the current (possibly expired) token as Bearer; refused once the session has been idle longer than IDLE_TIMEOUT_MINUTES.',
  })
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiUnauthorizedResponse({ description: 'session expired or token invalid' })
  @ApiTooManyRequestsResponse({ description: 'too many requests from this address; see Retry-After' })
  refresh(
    @Ip() ip: string,
    @Headers('authorization') authorization?: string,
    @Headers('x-request-id') requestId?: string,
  ): Promise<AccessTokenDto> {
    return this.auth.refresh(bearer(authorization), { requestId, ip });
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End the session / 退出登录' })
  async logout(@CurrentPrincipal() principal: Principal, @Headers('x-request-id') requestId?: string): Promise<void> {
    await this.auth.logout(principal, { requestId });
  }
}
