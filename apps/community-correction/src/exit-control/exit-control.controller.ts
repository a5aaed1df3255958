import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AgencyKind, PartnerScope } from '@homeward/domain';
import { AgencyKinds, RequiresScopes, CurrentPrincipal, Principal } from '@homeward/platform';
import { ExitControlService } from './exit-control.service';

class ExitControlItemDto {
  @ApiProperty({ example: '11010519491231002X', description: '居民身份证号码 (clear: the police need it; audited)' }) idNumber: string;
  @ApiProperty({ example: '王某' }) name: string;
  @ApiProperty({ example: '2026-11-28T02:00:00.000Z', description: 'when the subject was reported (became ACTIVE)' }) reportedAt: string;
}

class ExitControlListDto {
  @ApiProperty({ type: [ExitControlItemDto] }) items: ExitControlItemDto[];
}

/** CC-15: the police read who is now reported as not allowed to leave the country (docs/partner-api.md). */
@ApiTags('correction')
@ApiBearerAuth()
@Controller('api/v1/correction/exit-control')
export class ExitControlController {
  constructor(private readonly exitControl: ExitControlService) {}

  @Get()
  @AgencyKinds(AgencyKind.POLICE)
  @RequiresScopes(PartnerScope.CORRECTION_EXIT_CONTROL)
  @ApiOkResponse({ type: ExitControlListDto, description: 'Everyone now reported (出境报备名单)' })
  async list(@CurrentPrincipal() caller: Principal): Promise<ExitControlListDto> {
    return { items: await this.exitControl.currentList(caller) };
  }
}
