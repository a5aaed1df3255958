import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AgencyKind, PartnerScope } from '@homeward/domain';
import { AgencyKinds, RequiresScopes, CurrentPrincipal, Idempotent, Principal } from '@homeward/platform';
import { InvestigationCreatedDto, InvestigationRequestDto, InvestigationStatusDto } from './dto/investigation-request.dto';
import { InvestigationsService } from './investigations.service';

const REQUESTERS = [AgencyKind.COURT, AgencyKind.PROCURATORATE, AgencyKind.POLICE, AgencyKind.PRISON];

@ApiTags('correction')
@ApiBearerAuth()
@Controller('api/v1/correction/investigation-requests')
export class InvestigationRequestsController {
  constructor(private readonly investigations: InvestigationsService) {}

  @Post()
  @HttpCode(201)
  @AgencyKinds(...REQUESTERS)
  @RequiresScopes(PartnerScope.CORRECTION_INVESTIGATIONS)
  @Idempotent()
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiCreatedResponse({ type: InvestigationCreatedDto, description: 'CC-14: due in 10 working days (5 expedited), the received day not counted' })
  async create(
    @CurrentPrincipal() caller: Principal,
    @Body() dto: InvestigationRequestDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<InvestigationCreatedDto> {
    const row = await this.investigations.receive(caller, dto);
    res.location(`/api/v1/correction/investigation-requests/${row.id}`);
    return { id: row.id, dueDate: row.dueDate, status: row.status };
  }

  @Get(':id')
  @AgencyKinds(...REQUESTERS)
  @RequiresScopes(PartnerScope.CORRECTION_INVESTIGATIONS)
  @ApiOkResponse({ type: InvestigationStatusDto, description: 'the requester reads its own commission and, once completed, the opinion and report' })
  async get(@CurrentPrincipal() caller: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<InvestigationStatusDto> {
    const row = await this.investigations.findForRequester(caller, id);
    return {
      id: row.id,
      status: row.status,
      dueDate: row.dueDate,
      ...(row.opinion ? { opinion: row.opinion } : {}),
      ...(row.summary ? { summary: row.summary } : {}),
      ...(row.report ? { report: row.report } : {}),
      ...(row.completedAt ? { completedAt: row.completedAt.toISOString() } : {}),
    };
  }
}
