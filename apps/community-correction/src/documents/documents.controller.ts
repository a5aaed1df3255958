import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AgencyKind, PartnerScope } from '@homeward/domain';
import { AgencyKinds, RequiresScopes, CurrentPrincipal, Idempotent, Principal } from '@homeward/platform';
import { DeliverDocumentDto, DocumentDeliveredDto } from './dto/deliver-document.dto';
import { DocumentsService } from './documents.service';

const ENROLLING_AGENCIES = [AgencyKind.COURT, AgencyKind.PRISON, AgencyKind.POLICE];

/** CC-3: the deciding body delivers the legal documents of an enrolment it made (docs/partner-api.md). */
@ApiTags('correction')
@ApiBearerAuth()
@Controller('api/v1/correction/enrolments/:id/documents')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Post()
  @HttpCode(201)
  @AgencyKinds(...ENROLLING_AGENCIES)
  @RequiresScopes(PartnerScope.CORRECTION_ENROLMENTS)
  @Idempotent()
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiCreatedResponse({ type: DocumentDeliveredDto, description: 'Document recorded; says whether the required set is complete (CC-3)' })
  async deliver(
    @CurrentPrincipal() caller: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: DeliverDocumentDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DocumentDeliveredDto> {
    const result = await this.documents.deliver(caller, id, dto);
    res.location(`/api/v1/correction/enrolments/${id}/documents/${result.document.id}`);
    return { id: result.document.id, documentType: result.document.documentType, complete: result.complete, missingDocumentTypes: result.missingDocumentTypes };
  }

  @Get(':documentId')
  @AgencyKinds(...ENROLLING_AGENCIES)
  @RequiresScopes(PartnerScope.CORRECTION_ENROLMENTS)
  @ApiOkResponse({ description: 'A document this agency delivered' })
  async get(
    @CurrentPrincipal() caller: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('documentId', new ParseUUIDPipe()) documentId: string,
  ): Promise<{ id: string; documentType: string; documentNo: string; issuedDate: string; deliveredAt: string }> {
    const d = await this.documents.findForAgency(caller, id, documentId);
    return { id: d.id, documentType: d.documentType, documentNo: d.documentNo, issuedDate: d.issuedDate, deliveredAt: d.deliveredAt.toISOString() };
  }
}
