import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AgencyKind, PartnerScope } from '@homeward/domain';
import { AgencyKinds, CurrentPrincipal, Idempotent, Principal, RequiresScopes } from '@homeward/platform';
import { ReoffenceReportDto, ReoffenceReportedDto } from './dto/reoffence-report.dto';
import { ReoffencesService } from './reoffences.service';

@ApiTags('resettlement')
@ApiBearerAuth()
@Controller('api/v1/resettlement/reoffence-reports')
export class ReoffenceReportsController {
  constructor(private readonly reoffences: ReoffencesService) {}

  @Post()
  @HttpCode(201)
  @AgencyKinds(AgencyKind.POLICE)
  @RequiresScopes(PartnerScope.RESETTLEMENT_REOFFENCE_REPORTS)
  @Idempotent()
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiCreatedResponse({ type: ReoffenceReportedDto, description: 'RS-8: the report, matched or kept to be matched when the person appears / 重新犯罪通报已接收' })
  async report(@CurrentPrincipal() caller: Principal, @Body() dto: ReoffenceReportDto, @Res({ passthrough: true }) res: Response): Promise<ReoffenceReportedDto> {
    const r = await this.reoffences.receive(caller, dto);
    res.location(`/api/v1/resettlement/reoffence-reports/${r.id}`);
    return { id: r.id, matched: r.matchedAt !== null };
  }

  @Get(':id')
  @AgencyKinds(AgencyKind.POLICE)
  @RequiresScopes(PartnerScope.RESETTLEMENT_REOFFENCE_REPORTS)
  @ApiOkResponse({ type: ReoffenceReportedDto, description: 'RS-8 (added): a report of this police unit; `matched` turns true when the person appears / 本单位的重新犯罪通报' })
  async get(@CurrentPrincipal() caller: Principal, @Param('id') id: string): Promise<ReoffenceReportedDto> {
    const r = await this.reoffences.findForPolice(caller, id);
    return { id: r.id, matched: r.matchedAt !== null };
  }
}
