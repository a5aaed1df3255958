import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiHeader, ApiTags } from '@nestjs/swagger';
import { AgencyKind, PartnerScope } from '@homeward/domain';
import { AgencyKinds, RequiresScopes, Idempotent } from '@homeward/platform';
import { LocationFixesAcceptedDto, LocationFixesDto } from './dto/location-fixes.dto';
import { LocationFixesPipe } from './location-fixes.pipe';
import { MonitoringService } from './monitoring.service';

/**
 * The body as LocationFixesPipe hands it over. A type, not the class: a parameter typed with the DTO
 * class would be validated by the global ValidationPipe first, which the pipe is here to spare.
 */
type LocationFixesBody = Pick<LocationFixesDto, 'fixes'>;

@ApiTags('correction')
@ApiBearerAuth()
@Controller('api/v1/correction/location-fixes')
export class LocationFixesController {
  constructor(private readonly monitoring: MonitoringService) {}

  /** CC-12: a batch of 1–1000 fixes from the electronic monitoring platform, stored in one statement. */
  @Post()
  @HttpCode(202)
  @AgencyKinds(AgencyKind.MONITORING_PLATFORM)
  @RequiresScopes(PartnerScope.CORRECTION_LOCATION_FIXES)
  @Idempotent()
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiBody({ type: LocationFixesDto })
  @ApiAcceptedResponse({ type: LocationFixesAcceptedDto, description: 'Fixes of devices under an approved electronic location are stored (CC-12)' })
  async ingest(@Body(LocationFixesPipe) dto: LocationFixesBody): Promise<LocationFixesAcceptedDto> {
    const result = await this.monitoring.ingest(dto.fixes);
    return { accepted: result.accepted, unmatched: result.unmatched };
  }
}
