import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AgencyKind, PartnerScope } from '@homeward/domain';
import { AgencyKinds, RequiresScopes, CurrentPrincipal, Idempotent, Principal } from '@homeward/platform';
import { EnrolSubjectDto, EnrolmentCreatedDto } from './dto/enrol-subject.dto';
import { SubjectsService } from './subjects.service';

const ENROLLING_AGENCIES = [AgencyKind.COURT, AgencyKind.PRISON, AgencyKind.POLICE];

@ApiTags('correction')
@ApiBearerAuth()
@Controller('api/v1/correction/enrolments')
export class EnrolmentsController {
  constructor(private readonly subjects: SubjectsService) {}

  @Post()
  @HttpCode(201)
  @AgencyKinds(...ENROLLING_AGENCIES)
  @RequiresScopes(PartnerScope.CORRECTION_ENROLMENTS)
  @Idempotent()
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiCreatedResponse({ type: EnrolmentCreatedDto, description: 'Subject created PENDING_REPORT (CC-3, CC-4)' })
  async enrol(
    @CurrentPrincipal() caller: Principal,
    @Body() dto: EnrolSubjectDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EnrolmentCreatedDto> {
    const subject = await this.subjects.enrol(caller, dto);
    res.location(`/api/v1/correction/enrolments/${subject.id}`);
    return { id: subject.id, status: subject.status, reportDeadline: subject.reportDeadline };
  }

  @Get(':id')
  @AgencyKinds(...ENROLLING_AGENCIES)
  @RequiresScopes(PartnerScope.CORRECTION_ENROLMENTS)
  async get(@CurrentPrincipal() caller: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<EnrolmentCreatedDto> {
    const subject = await this.subjects.findForAgency(caller, id);
    return { id: subject.id, status: subject.status, reportDeadline: subject.reportDeadline };
  }
}
