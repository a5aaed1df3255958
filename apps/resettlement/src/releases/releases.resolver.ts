import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { addDays } from '@homeward/domain';
import { AuditWriter, Clock, CurrentPrincipal, Principal, Roles, STAFF_WRITERS, toConnection } from '@homeward/platform';
import { dailyList } from '../cases/daily-list';
import { PreReleaseNotice } from '../notices/pre-release-notice.entity';
import { PreReleaseNoticeConnection, toNoticeType } from '../notices/notice.types';
import { Release } from './release.entity';
import { ReleasesService } from './releases.service';
import { RecordPickUpInput, ReleaseConnection, ReleaseType, TownListArgs, toReleaseType } from './release.types';

@Resolver(() => ReleaseType)
export class ReleasesResolver {
  constructor(
    private readonly releases: ReleasesService,
    private readonly clock: Clock,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
  ) {}

  @Roles(...STAFF_WRITERS)
  @Query(() => PreReleaseNoticeConnection, { description: 'RS-5: persons the prisons expect to release today and in the next 6 days, soonest first / 本周释放' })
  async releasesThisWeek(@CurrentPrincipal() caller: Principal, @Args() args: TownListArgs): Promise<PreReleaseNoticeConnection> {
    const today = this.clock.today();
    const page = await dailyList(this.dataSource, this.audit, caller, {
      entity: PreReleaseNotice,
      entityType: 'PreReleaseNotice',
      action: 'resettlement.notice.list',
      orderBy: 'expectedReleaseDate',
      town: args.town,
      first: args.first,
      after: args.after,
      where: (qb) =>
        qb
          .andWhere('r.expectedReleaseDate BETWEEN :from AND :to', { from: today, to: addDays(today, 6) })
          .andWhere('NOT EXISTS (SELECT 1 FROM resettlement.releases x WHERE x.notice_id = r.id)'),
      details: { list: 'releases-this-week' },
    });
    return toConnection(page, (n) => toNoticeType(n, today), page.cursorOf);
  }

  @Roles(...STAFF_WRITERS)
  @Query(() => ReleaseConnection, { description: 'RS-5: key persons released and not yet picked up, earliest due first / 重点人员未接回' })
  async pickUpsMissing(@CurrentPrincipal() caller: Principal, @Args() args: TownListArgs): Promise<ReleaseConnection> {
    const today = this.clock.today();
    const page = await dailyList(this.dataSource, this.audit, caller, {
      entity: Release,
      entityType: 'Release',
      action: 'resettlement.release.list',
      orderBy: 'pickUpDue',
      town: args.town,
      first: args.first,
      after: args.after,
      where: (qb) => qb.andWhere('r.keyPerson = true').andWhere('r.pickedUpAt IS NULL'),
      details: { list: 'pick-ups-missing' },
    });
    return toConnection(page, (r) => toReleaseType(r, today), page.cursorOf);
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => ReleaseType, { description: 'RS-5: record the pick-up / 登记接回' })
  async recordPickUp(@CurrentPrincipal() caller: Principal, @Args('input') input: RecordPickUpInput) {
    return toReleaseType(await this.releases.recordPickUp(caller, input), this.clock.today());
  }
}
