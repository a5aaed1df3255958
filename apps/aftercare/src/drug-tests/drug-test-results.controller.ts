import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiTags } from '@nestjs/swagger';
import { AgencyKind, PartnerScope } from '@homeward/domain';
import { AgencyKinds, CurrentPrincipal, Idempotent, Principal, RequiresScopes } from '@homeward/platform';
import { DrugTestRecordedDto, DrugTestResultDto } from './dto/drug-test-result.dto';
import { DrugTestsService } from './drug-tests.service';

@ApiTags('aftercare')
@ApiBearerAuth()
@Controller('api/v1/aftercare/drug-test-results')
export class DrugTestResultsController {
  constructor(private readonly tests: DrugTestsService) {}

  @Post()
  @HttpCode(201)
  @AgencyKinds(AgencyKind.POLICE)
  @RequiresScopes(PartnerScope.AFTERCARE_DRUG_TEST_RESULTS)
  @Idempotent()
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiCreatedResponse({ type: DrugTestRecordedDto, description: 'AC-4: the test, matched to an open aftercare case (a positive one marks a relapse) / 尿检结果已接收' })
  async receive(@CurrentPrincipal() caller: Principal, @Body() dto: DrugTestResultDto): Promise<DrugTestRecordedDto> {
    const { test, matched, relapse } = await this.tests.receiveFromPolice(caller, dto);
    return { id: test.id, matched, relapse };
  }
}
