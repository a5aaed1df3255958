import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AgencyKind, PartnerScope } from '@homeward/domain';
import { AgencyKinds, CurrentPrincipal, Idempotent, Principal, RequiresScopes } from '@homeward/platform';
import { ReleaseNoticeBatchDto, ReleaseNoticeBatchResultDto } from './dto/release-notice.dto';
import { ReleaseNoticesService } from './release-notices.service';

@ApiTags('aftercare')
@ApiBearerAuth()
@Controller('api/v1/aftercare/release-notices')
export class ReleaseNoticesController {
  constructor(private readonly notices: ReleaseNoticesService) {}

  @Post()
  @HttpCode(207)
  @AgencyKinds(AgencyKind.REHAB_CENTRE)
  @RequiresScopes(PartnerScope.AFTERCARE_RELEASE_NOTICES)
  @Idempotent()
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiResponse({ status: 207, type: ReleaseNoticeBatchResultDto, description: 'AC-1: each notice accepted (201 + id) or rejected (422 + errors) on its own / 逐条接收结果' })
  async receive(@CurrentPrincipal() caller: Principal, @Body() dto: ReleaseNoticeBatchDto): Promise<ReleaseNoticeBatchResultDto> {
    return { results: await this.notices.receiveBatch(caller, dto.notices) };
  }
}
