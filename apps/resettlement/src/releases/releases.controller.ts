import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AgencyKind, PartnerScope } from '@homeward/domain';
import { AgencyKinds, CurrentPrincipal, Idempotent, Principal, RequiresScopes } from '@homeward/platform';
import { ReleaseCreatedDto, ReleaseDto } from './dto/release.dto';
import { ReleasesService } from './releases.service';

@ApiTags('resettlement')
@ApiBearerAuth()
@Controller('api/v1/resettlement/releases')
export class ReleasesController {
  constructor(private readonly releases: ReleasesService) {}

  @Post()
  @HttpCode(201)
  @AgencyKinds(AgencyKind.PRISON)
  @RequiresScopes(PartnerScope.RESETTLEMENT_RELEASES)
  @Idempotent()
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiCreatedResponse({ type: ReleaseCreatedDto, description: 'RS-5: the actual release; RS-6 assistance opens / 已确认释放' })
  async release(@CurrentPrincipal() caller: Principal, @Body() dto: ReleaseDto, @Res({ passthrough: true }) res: Response): Promise<ReleaseCreatedDto> {
    const r = await this.releases.receive(caller, dto);
    res.location(`/api/v1/resettlement/releases/${r.id}`);
    return { id: r.id };
  }

  @Get(':id')
  @AgencyKinds(AgencyKind.PRISON)
  @RequiresScopes(PartnerScope.RESETTLEMENT_RELEASES)
  @ApiOkResponse({ description: 'RS-5 (added): a release this prison confirmed / 本监狱确认的释放记录' })
  async get(@CurrentPrincipal() caller: Principal, @Param('id') id: string): Promise<{ id: string; preReleaseNoticeId: string | null; actualReleaseDate: string }> {
    const r = await this.releases.findForPrison(caller, id);
    return { id: r.id, preReleaseNoticeId: r.noticeId, actualReleaseDate: r.actualReleaseDate };
  }
}
