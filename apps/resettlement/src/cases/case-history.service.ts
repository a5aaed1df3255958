import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityTarget, In, ObjectLiteral } from 'typeorm';
import { Agreement } from '../agreements/agreement.entity';
import { PoliceHandOver, RiskAssessment } from '../assessments/assessment.entity';
import { BasePlacement } from '../fund/fund.entity';
import { PreReleaseNotice } from '../notices/pre-release-notice.entity';
import { Release } from '../releases/release.entity';
import { ReoffenceReport } from '../reoffences/reoffence-report.entity';
import { EmploymentService, WelfareReferral } from '../welfare/welfare.entity';

/**
 * The records of a case page (batched per request through fieldLoader): asked only for cases the
 * caller already sees (the case read is the audited one), so no second town filter here.
 */
@Injectable()
export class CaseHistoryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Rows of `entity` whose `column` is one of `ids`, grouped by it (oldest first). */
  async byColumn<T extends ObjectLiteral>(entity: EntityTarget<T>, column: keyof T & string, ids: readonly string[]): Promise<Map<string, T[]>> {
    const out = new Map<string, T[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    const rows = await this.dataSource.getRepository(entity).find({ where: { [column]: In([...ids]) } as never, order: { createdAt: 'ASC' } as never });
    for (const r of rows) out.get(r[column] as string)?.push(r);
    return out;
  }

  releases = (caseIds: readonly string[]) => this.byColumn(Release, 'caseId', caseIds);
  notices = (ids: readonly string[]) => this.byColumn(PreReleaseNotice, 'id', ids);
  agreements = (noticeIds: readonly string[]) => this.byColumn(Agreement, 'noticeId', noticeIds);
  assessments = (releaseIds: readonly string[]) => this.byColumn(RiskAssessment, 'releaseId', releaseIds);
  handOvers = (releaseIds: readonly string[]) => this.byColumn(PoliceHandOver, 'releaseId', releaseIds);
  welfare = (caseIds: readonly string[]) => this.byColumn(WelfareReferral, 'caseId', caseIds);
  employment = (caseIds: readonly string[]) => this.byColumn(EmploymentService, 'caseId', caseIds);
  placements = (caseIds: readonly string[]) => this.byColumn(BasePlacement, 'caseId', caseIds);
  reoffences = (caseIds: readonly string[]) => this.byColumn(ReoffenceReport, 'caseId', caseIds);
}
