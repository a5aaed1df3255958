import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { AgencyKind, PartnerScope } from '@homeward/domain';
import { AgencyKinds, RequiresScopes, Idempotent } from '@homeward/platform';
import { LocationFixesAcceptedDto, LocationFixesDto } from './dto/location-fixes.dto';
import { MonitoringService } from './monitoring.service';

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
  @ApiAcceptedResponse({ type: LocationFixesAcceptedDto, description: 'Fixes of devices under an approved electronic location are stored (CC-12)' })
  async ingest(@Body() dto: LocationFixesDto): Promise<LocationFixesAcceptedDto> {
    const result = await this.monitoring.ingest(dto.fixes);
    return { accepted: result.accepted, unmatched: result.unmatched };
  }
}
