import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { DomainError, DomainErrorCode, IdNumber, compareLocalDate } from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { AuditWriter, Clock, PersonKeys, Principal, agencyOwnerKey, inTransaction, isUuid } from '@homeward/platform';
import { ReoffenceReportDto } from './dto/reoffence-report.dto';
import { ReoffenceReport } from './reoffence-report.entity';
import { rowsBy } from '../cases/rows-by';

const CASE_NO_INDEX = 'police-case-no';

/** RS-8: re-offence reports from police, matched to the person's release or assistance case here. */
@Injectable()
export class ReoffencesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly audit: AuditWriter,
    private readonly personKeys: PersonKeys,
    private readonly clock: Clock,
  ) {}

  /** The case page: the re-offence reports matched to each case (a DataLoader batch). */
  byCaseIds(caseIds: readonly string[]): Promise<Map<string, ReoffenceReport[]>> {
    return rowsBy(this.dataSource, ReoffenceReport, 'caseId', caseIds);
  }


  async receive(caller: Principal, dto: ReoffenceReportDto): Promise<ReoffenceReport> {
    const today = this.clock.today();
    if (compareLocalDate(dto.offenceDate, today) > 0) {
      throw new DomainError(DomainErrorCode.DATE_INVALID, `offenceDate ${dto.offenceDate} is in the future / 犯罪日期不能晚于今天`, { field: 'offenceDate' });
    }
    const personKey = this.personKeys.of(IdNumber.parse(dto.person.idNumber, { today, field: 'person.idNumber' }));
    return inTransaction(this.dataSource, async (manager) => {
      // The latest release on or before the offence; else an assistance case running on that day (CC-20).
      const [release] = await manager.query<{ id: string; town: string | null; case_id: string | null }[]>(
        `SELECT id, town, case_id FROM resettlement.releases WHERE person_key = $1 AND actual_release_date <= $2 ORDER BY actual_release_date DESC LIMIT 1`,
        [personKey, dto.offenceDate],
      );
      const [kase] = release
        ? []
        : await manager.query<{ id: string; town: string }[]>(
            `SELECT id, town FROM resettlement.assistance_cases WHERE person_key = $1 AND start_date <= $2 AND end_date >= $2 ORDER BY start_date DESC LIMIT 1`,
            [personKey, dto.offenceDate],
          );
      const matched = Boolean(release || kase);
      const report = manager.getRepository(ReoffenceReport).create({
        personKey,
        policeAgency: agencyOwnerKey(caller),
        offenceDate: dto.offenceDate,
        caseNo: dto.caseNo.trim(),
        caseNoIndex: this.personKeys.identifierIndex(CASE_NO_INDEX, dto.caseNo),
        releaseId: release?.id ?? null,
        caseId: release?.case_id ?? kase?.id ?? null,
        town: release?.town ?? kase?.town ?? null,
        reportedOn: today,
        matchedAt: matched ? this.clock.now() : null,
      });
      try {
        await manager.save(report);
      } catch (e) {
        if (e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23505') {
          throw new DomainError(DomainErrorCode.CONFLICT, 'this case was already reported for this person / 该案件已通报', { field: 'caseNo' });
        }
        throw e;
      }
      await this.events.publish(manager, 'resettlement.reoffence.reported', {
        reportId: report.id,
        personKey,
        town: report.town,
        offenceDate: report.offenceDate,
        releaseId: report.releaseId,
        caseId: report.caseId,
        matched,
      });
      await this.audit.record(
        {
          actor: caller,
          action: 'resettlement.reoffence.receive',
          entityType: 'ReoffenceReport',
          entityId: report.id,
          personKey,
          towns: report.town ? [report.town] : [],
          details: { matched, offenceDate: report.offenceDate },
        },
        manager,
      );
      return report;
    });
  }

  /** The police unit reads back its report (another agency's is "not found"). */
  async findForPolice(caller: Principal, id: string): Promise<ReoffenceReport> {
    const report = isUuid(id) ? await this.dataSource.getRepository(ReoffenceReport).findOneBy({ id, policeAgency: agencyOwnerKey(caller) }) : null;
    if (!report) throw new DomainError(DomainErrorCode.NOT_FOUND, 're-offence report not found / 未找到该通报');
    await this.audit.record({ actor: caller, action: 'resettlement.reoffence.read', entityType: 'ReoffenceReport', entityId: id, personKey: report.personKey, towns: report.town ? [report.town] : [] });
    return report;
  }
}
