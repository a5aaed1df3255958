import { Args, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Principal, Roles, STAFF_WRITERS, toConnection } from '@homeward/platform';
import { LedgersService } from './ledgers.service';
import { AftercareLedgerArgs, AftercareLedgerConnection, AftercareLedgerLineType, toLedgerLineType } from './ledgers.types';

/** AC-7 the station's ledgers (台账): the town office (its towns) and the city office. */
@Resolver(() => AftercareLedgerLineType)
export class LedgersResolver {
  constructor(private readonly service: LedgersService) {}

  @Roles(...STAFF_WRITERS)
  @Query(() => AftercareLedgerConnection, { description: "AC-7: one ledger of the caller's stations, newest day first / 服务站台账" })
  async aftercareLedger(@CurrentPrincipal() caller: Principal, @Args() args: AftercareLedgerArgs): Promise<AftercareLedgerConnection> {
    const page = await this.service.ledger(caller, args.kind, args);
    return toConnection(page, toLedgerLineType, page.cursorOf);
  }
}
