import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AgencyKind, PartnerScope } from '@homeward/domain';
import { AgencyKinds, RequiresScopes, CurrentPrincipal, Idempotent, Principal } from '@homeward/platform';
import { ProcuratorateNoticeCreatedDto, ProcuratorateNoticeDto } from './dto/procuratorate-notice.dto';
import { ProcuratorateService } from './procuratorate.service';

@ApiTags('correction')
@ApiBearerAuth()
@Controller('api/v1/correction/procuratorate-notices')
export class ProcuratorateNoticesController {
  constructor(private readonly notices: ProcuratorateService) {}

  @Post()
  @HttpCode(201)
  @AgencyKinds(AgencyKind.PROCURATORATE)
  @RequiresScopes(PartnerScope.CORRECTION_PROCURATORATE_NOTICES)
  @Idempotent()
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiCreatedResponse({ type: ProcuratorateNoticeCreatedDto, description: 'CC-16: reply due 15 days (cfg) after issue' })
  async create(
    @CurrentPrincipal() caller: Principal,
    @Body() dto: ProcuratorateNoticeDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ProcuratorateNoticeCreatedDto> {
    const notice = await this.notices.receive(caller, dto);
    res.location(`/api/v1/correction/procuratorate-notices/${notice.id}`);
    return { id: notice.id, replyDue: notice.replyDue };
  }
}
