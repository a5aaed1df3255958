import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { AgencyKind, PartnerScope } from '@homeward/domain';
import { AgencyKinds, CurrentPrincipal, DATE_WINDOWS, IsLocalDate, Principal, RequiresScopes } from '@homeward/platform';
import { DrugTestsService } from './drug-tests.service';

export class SeriousBreachesQueryDto {
  @ApiPropertyOptional({ example: '2027-05-01', description: 'breaches on or after this day (default: 30 days ago) / 起始日期' })
  @IsOptional()
  @IsLocalDate(DATE_WINDOWS.recorded)
  since?: string;
}

export class SeriousBreachDto {
  @ApiProperty({ description: 'the aftercare case' }) caseId: string;
  @ApiProperty({ description: 'the person (for the police to act on) / 身份证号' }) idNumber: string;
  @ApiProperty({ description: '姓名' }) name: string;
  @ApiProperty({ description: 'the service station\'s town code / 服务站所在镇街', nullable: true, type: String }) town: string | null;
  @ApiProperty({ description: 'refused drug tests so far / 拒绝尿检次数' }) refusedTests: number;
  @ApiProperty({ description: 'the day of the refusal that made it a serious breach / 严重违反协议日期' }) breachOn: string;
}

export class SeriousBreachListDto {
  @ApiProperty({ type: [SeriousBreachDto] }) items: SeriousBreachDto[];
}

@ApiTags('aftercare')
@ApiBearerAuth()
@Controller('api/v1/aftercare/serious-breaches')
export class SeriousBreachesController {
  constructor(private readonly tests: DrugTestsService) {}

  @Get()
  @AgencyKinds(AgencyKind.POLICE)
  @RequiresScopes(PartnerScope.AFTERCARE_DRUG_TEST_RESULTS)
  @ApiOkResponse({ type: SeriousBreachListDto, description: 'AC-4 (added): serious breaches (drug tests refused three times) reported to police, newest first, at most 500 / 严重违反协议（拒绝尿检）通报' })
  async list(@CurrentPrincipal() caller: Principal, @Query() query: SeriousBreachesQueryDto): Promise<SeriousBreachListDto> {
    return { items: await this.tests.seriousBreachesForPolice(caller, query.since) };
  }
}
