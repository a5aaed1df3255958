import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AgencyKind, PartnerScope } from '@homeward/domain';
import { AgencyKinds, CurrentPrincipal, Idempotent, Principal, RequiresScopes } from '@homeward/platform';
import { NoticeReceiptDto, PreReleaseNoticeCreatedDto, PreReleaseNoticeDto } from './dto/pre-release-notice.dto';
import { NoticesService } from './notices.service';

@ApiTags('resettlement')
@ApiBearerAuth()
@Controller('api/v1/resettlement/pre-release-notices')
export class PreReleaseNoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Post()
  @HttpCode(201)
  @AgencyKinds(AgencyKind.PRISON)
  @RequiresScopes(PartnerScope.RESETTLEMENT_PRE_RELEASE_NOTICES)
  @Idempotent()
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiCreatedResponse({ type: PreReleaseNoticeCreatedDto, description: 'RS-1: the notice, matched to a town office (null: the city queue) / 预释放人员信息已接收' })
  async receive(@CurrentPrincipal() caller: Principal, @Body() dto: PreReleaseNoticeDto, @Res({ passthrough: true }) res: Response): Promise<PreReleaseNoticeCreatedDto> {
    const notice = await this.notices.receive(caller, dto);
    res.location(`/api/v1/resettlement/pre-release-notices/${notice.id}/receipt`);
    return { id: notice.id, town: notice.town, keyPerson: notice.keyPerson };
  }

  @Get(':id/receipt')
  @AgencyKinds(AgencyKind.PRISON)
  @RequiresScopes(PartnerScope.RESETTLEMENT_PRE_RELEASE_NOTICES)
  @ApiOkResponse({ type: NoticeReceiptDto, description: 'RS-2: the receipt of the prison\'s own notice / 衔接回执' })
  async receipt(@CurrentPrincipal() caller: Principal, @Param('id') id: string): Promise<NoticeReceiptDto> {
    const n = await this.notices.receiptFor(caller, id);
    const record = n.verificationRecord();
    return {
      status: n.receiptStatus,
      ...(n.receiptStatus === 'SENT' && n.verification ? { verification: n.verification } : {}),
      ...(n.receiptStatus === 'SENT' && record?.notes ? { notes: record.notes } : {}),
      ...(n.receiptSentAt ? { sentAt: n.receiptSentAt.toISOString() } : {}),
    };
  }
}
