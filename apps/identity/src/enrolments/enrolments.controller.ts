import { Body, Controller, Headers, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Public } from '@homeward/platform';
import { RedeemEnrolmentDto, RedeemedEnrolmentDto } from './dto/enrolment.types';
import { EnrolmentsService } from './enrolments.service';

/** The new user's first step (issue 6 item 6). Served under /api/v1/auth (through the gateway). */
@ApiTags('auth')
@Controller('api/v1/auth')
export class EnrolmentsController {
  constructor(private readonly enrolments: EnrolmentsService) {}

  @Public()
  @Post('enrol')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Redeem a one-time enrolment code / 使用注册码开通账号',
    description: 'Sets the password of the account a security admin asked for; answers the TOTP secret (once) when the role needs TOTP.',
  })
  @ApiBody({ type: RedeemEnrolmentDto })
  @ApiOkResponse({ type: RedeemedEnrolmentDto })
  @ApiUnauthorizedResponse({ description: 'invalid or expired enrolment code / 注册码无效或已过期' })
  @ApiTooManyRequestsResponse({ description: 'too many attempts; see Retry-After' })
  async enrol(@Body() body: RedeemEnrolmentDto, @Ip() ip: string, @Headers('x-request-id') requestId?: string): Promise<RedeemedEnrolmentDto> {
    const r = await this.enrolments.redeem({ username: body.username, code: body.code, password: body.password }, { ip, requestId });
    return { username: r.user.username, ...(r.totpSecret ? { totpSecret: r.totpSecret, otpauthUri: r.otpauthUri } : {}) };
  }
}
