import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { DomainError, DomainErrorCode, RiskLevel, addDays, compareLocalDate } from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { AuditWriter, Clock, Principal, inTransaction } from '@homeward/platform';
import { ReleasesService } from '../releases/releases.service';
import { PoliceHandOver, RiskAssessment } from './assessment.entity';
import { DailyPage, TownListRequest, dailyList } from '../cases/daily-list';
import { Release } from '../releases/release.entity';
import { rowsBy } from '../cases/rows-by';

/** RS-6 after release: the risk assessment within 30 days (cfg) and a key person's police hand-over within 7 days (cfg). */
@Injectable()
export class AssessmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly releases: ReleasesService,
    private readonly events: EventPublisher,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
  ) {}

  /** The case page: the risk assessments of each release (a DataLoader batch). */
  assessmentsByReleaseIds(releaseIds: readonly string[]): Promise<Map<string, RiskAssessment[]>> {
    return rowsBy(this.dataSource, RiskAssessment, 'releaseId', releaseIds);
  }

  /** The case page: the police hand-over of each release (a DataLoader batch). */
  handOversByReleaseIds(releaseIds: readonly string[]): Promise<Map<string, PoliceHandOver[]>> {
    return rowsBy(this.dataSource, PoliceHandOver, 'releaseId', releaseIds);
  }


  /** RS-6: releases without a risk assessment due within `withinDays` of today or late, earliest due first. */
  assessmentsDue(caller: Principal, p: TownListRequest, withinDays: number): Promise<DailyPage<Release>> {
    return dailyList(this.dataSource, this.audit, caller, {
      ...p,
      entity: Release,
      entityType: 'Release',
      action: 'resettlement.release.list',
      orderBy: 'riskAssessmentDue',
      where: (qb) =>
        qb
          .andWhere('r.riskAssessmentDue <= :until', { until: addDays(this.clock.today(), withinDays) })
          .andWhere('NOT EXISTS (SELECT 1 FROM resettlement.risk_assessments a WHERE a.release_id = r.id)'),
      details: { list: 'risk-assessments-due' },
    });
  }

  /** RS-6: key persons not handed to police, due within `withinDays` of today or late, earliest due first. */
  handOversDue(caller: Principal, p: TownListRequest, withinDays: number): Promise<DailyPage<Release>> {
    return dailyList(this.dataSource, this.audit, caller, {
      ...p,
      entity: Release,
      entityType: 'Release',
      action: 'resettlement.release.list',
      orderBy: 'policeHandOverDue',
      where: (qb) =>
        qb
          .andWhere('r.keyPerson = true')
          .andWhere('r.policeHandOverDue <= :until', { until: addDays(this.clock.today(), withinDays) })
          .andWhere('NOT EXISTS (SELECT 1 FROM resettlement.police_hand_overs h WHERE h.release_id = r.id)'),
      details: { list: 'police-hand-overs-due' },
    });
  }


  async assess(caller: Principal, releaseId: string, level: RiskLevel, factors: string[], assessedOn?: string | null): Promise<RiskAssessment> {
    const day = this.day(assessedOn);
    if (factors.length === 0 || factors.some((f) => !f.trim())) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'name the factors of the assessment / 须列明评估因素', { field: 'factors' });
    }
    return inTransaction(this.dataSource, async (manager) => {
      const release = await this.releases.findOne(caller, releaseId, manager, true);
      this.assertAfterRelease(day, release.actualReleaseDate, 'assessedOn');
      const onTime = compareLocalDate(day, release.riskAssessmentDue) <= 0;
      const a = await manager.save(
        manager.getRepository(RiskAssessment).create({
          releaseId: release.id,
          personKey: release.personKey,
          town: release.town as string,
          level,
          factorsJson: JSON.stringify(factors),
          assessedOn: day,
          assessedBy: caller.sub,
          onTime,
        }),
      );
      await this.events.publish(manager, 'resettlement.risk.assessed', { releaseId: release.id, personKey: release.personKey, town: a.town, level, assessedOn: day, onTime });
      await this.audit.record(
        { actor: caller, action: 'resettlement.risk.assess', entityType: 'RiskAssessment', entityId: a.id, personKey: a.personKey, towns: [a.town], details: { level, onTime } },
        manager,
      );
      return a;
    });
  }

  async handOverToPolice(caller: Principal, releaseId: string, policeUnit: string, handedOverOn?: string | null): Promise<PoliceHandOver> {
    const day = this.day(handedOverOn);
    if (!policeUnit.trim()) throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'name the police unit / 须填写接收的公安机关', { field: 'policeUnit' });
    return inTransaction(this.dataSource, async (manager) => {
      const release = await this.releases.findOne(caller, releaseId, manager, true);
      this.assertAfterRelease(day, release.actualReleaseDate, 'handedOverOn');
      const onTime = compareLocalDate(day, release.policeHandOverDue) <= 0;
      let h: PoliceHandOver;
      try {
        h = await manager.save(
          manager.getRepository(PoliceHandOver).create({
            releaseId: release.id,
            personKey: release.personKey,
            town: release.town as string,
            policeUnit,
            handedOverOn: day,
            recordedBy: caller.sub,
            onTime,
          }),
        );
      } catch (e) {
        if (e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23505') {
          throw new DomainError(DomainErrorCode.CONFLICT, 'already handed over to police / 已移交公安机关', { field: 'releaseId' });
        }
        throw e;
      }
      await this.events.publish(manager, 'resettlement.police.handed-over', { releaseId: release.id, personKey: release.personKey, town: h.town, handedOverOn: day, onTime });
      await this.audit.record(
        { actor: caller, action: 'resettlement.police.hand-over', entityType: 'PoliceHandOver', entityId: h.id, personKey: h.personKey, towns: [h.town], details: { onTime } },
        manager,
      );
      return h;
    });
  }

  private day(given?: string | null): string {
    const today = this.clock.today();
    const day = given ?? today;
    if (compareLocalDate(day, today) > 0) throw new DomainError(DomainErrorCode.DATE_INVALID, 'the day cannot be in the future / 日期不能晚于今天', { field: 'date' });
    return day;
  }

  private assertAfterRelease(day: string, releaseDate: string, field: string): void {
    if (compareLocalDate(day, releaseDate) < 0) {
      throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'the day is before the release / 日期早于释放日期', { field });
    }
  }
}
