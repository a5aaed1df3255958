import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AgencyKind, PartnerScope } from '@homeward/domain';
import { AgencyKinds, CurrentPrincipal, Idempotent, Principal, RequiresScopes } from '@homeward/platform';
import { VideoVisitProposalDto, VideoVisitProposedDto } from './dto/video-visit-proposal.dto';
import { VideoVisitsService } from './video-visits.service';

@ApiTags('resettlement')
@ApiBearerAuth()
@Controller('api/v1/resettlement/video-visit-proposals')
export class VideoVisitProposalsController {
  constructor(private readonly visits: VideoVisitsService) {}

  @Post()
  @HttpCode(201)
  @AgencyKinds(AgencyKind.PRISON)
  @RequiresScopes(PartnerScope.RESETTLEMENT_VIDEO_VISITS)
  @Idempotent()
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiCreatedResponse({ type: VideoVisitProposedDto, description: 'RS-10: a proposed family video visit, REQUESTED until the town office confirms it / 远程视频会见申请已提交' })
  async propose(@CurrentPrincipal() caller: Principal, @Body() dto: VideoVisitProposalDto, @Res({ passthrough: true }) res: Response): Promise<VideoVisitProposedDto> {
    const v = await this.visits.propose(caller, dto);
    res.location(`/api/v1/resettlement/video-visit-proposals/${v.id}`);
    return { id: v.id, status: v.status };
  }

  @Get(':id')
  @AgencyKinds(AgencyKind.PRISON)
  @RequiresScopes(PartnerScope.RESETTLEMENT_VIDEO_VISITS)
  @ApiOkResponse({ description: 'RS-10 (added): the proposal as it stands / 会见申请状态' })
  async get(@CurrentPrincipal() caller: Principal, @Param('id') id: string): Promise<{ id: string; status: string; startsAt: string; endsAt: string }> {
    const v = await this.visits.findForPrison(caller, id);
    return { id: v.id, status: v.status, startsAt: v.startsAt.toISOString(), endsAt: v.endsAt.toISOString() };
  }
}
