import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Role } from '@homeward/domain';
import { CurrentPrincipal, Principal, Roles, STAFF_WRITERS, encodeCursor, toConnection } from '@homeward/platform';
import { CaseReportsService } from './case-reports.service';
import { CaseReportConnection, CaseReportType, CaseReportsArgs, DecideCaseReportInput, ReportCaseInput, toCaseReportType } from './case-reports.types';

/** CC-28: offices report (TOWN_OFFICER, CITY_ADMIN), the city decides (CITY_ADMIN). */
@Resolver(() => CaseReportType)
export class CaseReportsResolver {
  constructor(private readonly reports: CaseReportsService) {}

  @Roles(...STAFF_WRITERS)
  @Query(() => CaseReportConnection, { description: "CC-28: case reports of the caller's towns, newest first / 案例报送" })
  async caseReports(@CurrentPrincipal() caller: Principal, @Args() args: CaseReportsArgs): Promise<CaseReportConnection> {
    const page = await this.reports.list(caller, args);
    return toConnection(page, toCaseReportType, (v) => encodeCursor(v.report));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => CaseReportType, { description: 'CC-28: report an exemplary case for a month / 报送案例' })
  async reportCase(@CurrentPrincipal() caller: Principal, @Args('input') input: ReportCaseInput): Promise<CaseReportType> {
    return toCaseReportType(await this.reports.report(caller, input));
  }

  @Roles(Role.CITY_ADMIN)
  @Mutation(() => CaseReportType, { description: 'CC-28: accept (录用) or decline a reported case / 案例录用' })
  async decideCaseReport(@CurrentPrincipal() caller: Principal, @Args('input') input: DecideCaseReportInput): Promise<CaseReportType> {
    return toCaseReportType(await this.reports.decide(caller, input));
  }
}
